"""Drawing functions of the book (matplotlib, never pyplot).

Pure functions: they take data and an optional ``ax``, draw, and return the Axes
(or a Figure for grids); they never show or save anything and never read files.
``convkit.widgets`` builds its demos from them, and chapters call them for their
static figures. General tools live in :mod:`convkit.plot._base`; drawings that
belong to one chapter live in ``convkit/plot/_<chapter>.py`` and are imported
below.
"""
from ._base import (  # noqa: F401
    DIVERGING, GREY, NUMBERS_GID, SEQUENTIAL, SMALL, fig_to_png, format_number, new_figure,
    show_array, show_image, small_multiples, stem_signal,
)

# Chapter drawings (one line per module, appended in book order):
from ._conv2d import canny_panels, conv2d_step, gradient_panels, image_grid, kernel_gallery, show_filtered, show_gradient_direction, show_thresholds, signed_limit  # noqa: E402,F401
from ._padding import padding_pairs, show_padded, show_padding  # noqa: E402,F401
from ._channels import channel_sum, conv_volumes  # noqa: E402,F401
from ._transposed import transpose_stamps, show_stamps, show_gather, show_transposed  # noqa: E402,F401
from ._conv1d import frequency_response, kernel_stamps, kernel_stems, magnitude_response, mode_slice, signal_traces, sliding_step  # noqa: E402,F401
from ._conv3d import volume_slices  # noqa: E402,F401
from ._pooling import show_pool_windows, show_window_counts, window_counts, pool_window_starts, outline_cells, plot_shift_changes  # noqa: E402,F401
from ._pointwise import show_pixel_matmul, plot_cost_bars  # noqa: E402,F401
from ._stride import kernel_taps, read_counts, show_positions  # noqa: E402,F401
from ._receptive import show_field, show_field_layers, layer_label  # noqa: E402,F401
from ._depthwise import GROUP_COLOURS, show_groups, show_costs, show_cost_panels, format_count, show_separable_saving, filter_mosaic, show_filter_bank  # noqa: E402,F401
from ._cnn import cnn_scores, feature_maps, loss_curve, place_image, weight_grid  # noqa: E402,F401
from ._conv1d import filtered_signals  # noqa: E402,F401
from ._receptive import field_rgb, show_field_pixels  # noqa: E402,F401
