/*
 * The frame operations (dmabuf/frame.h) and the CPU copy counter
 * (dmabuf/cpu_copy.h) for the managed host build's P/Invoke, in the shape of
 * dmabuf_host.h: int32_t results (0 or a negative dmabuf_error), integer
 * arguments and caller arrays only.
 *
 * A frame crosses as 6 int32_t in struct dmabuf_frame's member order:
 * buffer handle, offset, width, height, stride, format (managed DmaFrame
 * keeps them in that order). Negative offset / sizes are -EINVAL.
 */
#ifndef DMABUF_FRAMES_HOST_H
#define DMABUF_FRAMES_HOST_H

#include <stdint.h>

#include "dmabuf_host.h"

#ifdef __cplusplus
extern "C" {
#endif

#define DMABUF_HOST_FRAME_VALUES 6

DMABUF_HOST_API int32_t dmabuf_host_frame_check(int32_t heap, const int32_t *frame);
DMABUF_HOST_API int32_t dmabuf_host_frame_fill(int32_t heap, const int32_t *frame, int32_t x, int32_t y,
					       int32_t width, int32_t height, int32_t rgb);
DMABUF_HOST_API int32_t dmabuf_host_frame_darken(int32_t heap, const int32_t *frame, int32_t x, int32_t y,
						 int32_t width, int32_t height);
DMABUF_HOST_API int32_t dmabuf_host_frame_blend(int32_t heap, const int32_t *frame, int32_t x, int32_t y,
						int32_t width, int32_t height, int32_t rgb, int32_t alpha);
DMABUF_HOST_API int32_t dmabuf_host_frame_copy(int32_t heap, const int32_t *source, int32_t x, int32_t y,
					       int32_t width, int32_t height, const int32_t *destination,
					       int32_t dest_x, int32_t dest_y);
/* @text: @length single-byte characters (the managed side maps a char
 * outside Latin-1 to 0, which the core refuses as not printable). */
DMABUF_HOST_API int32_t dmabuf_host_frame_draw_text(int32_t heap, const int32_t *frame, int32_t x, int32_t y,
						    const uint8_t *text, int32_t length, int32_t rgb, int32_t scale);
DMABUF_HOST_API int32_t dmabuf_host_frame_draw_sprite(int32_t heap, const int32_t *frame, int32_t x, int32_t y,
						      const uint8_t *pixels, int32_t pixels_length, int32_t width,
						      int32_t height, int32_t transparent_rgb);
DMABUF_HOST_API int32_t dmabuf_host_frame_read_pixel(int32_t heap, const int32_t *frame, int32_t x, int32_t y,
						     int32_t *rgb);
DMABUF_HOST_API int32_t dmabuf_host_frame_read_row(int32_t heap, const int32_t *frame, int32_t x, int32_t y,
						   int32_t count, uint8_t *out, int32_t out_length);

/* Count a CPU copy the managed side did itself (CpuAccess Read / Write /
 * CopyTo on the host are Span copies). @retval 0; -EBADF; -EINVAL @bytes < 0. */
DMABUF_HOST_API int32_t dmabuf_host_cpu_copy_count(int32_t heap, int32_t bytes);
/* struct dmabuf_cpu_copy_stats as 2 int64 (bytes, copies), then zeroed if
 * @reset; @values may be NULL when only resetting. @retval 0; -EBADF; -EINVAL. */
DMABUF_HOST_API int32_t dmabuf_host_cpu_copy_stats(int32_t heap, int64_t *values, int32_t count, int32_t reset);

#ifdef __cplusplus
}
#endif

#endif /* DMABUF_FRAMES_HOST_H */
