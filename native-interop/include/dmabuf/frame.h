/*
 * Frames: drawing into DMA buffers without copying them out.
 *
 * DOC: why this layer exists
 *
 * On nanoFramework 1.17 C# has no Span over native memory: it reaches a DMA
 * buffer only by copying bytes in and out (CpuAccess Read / Write). A frame
 * (a picture inside a buffer: offset, width, height, stride, pixel format)
 * is drawn on by the native operations below instead. Each operation is ONE
 * call that opens a CPU access covering only the rows it touches, runs a
 * pixel kernel (frames/kernels.h) and ends the access, so the cache
 * hand-over is exactly that of those rows (docs/CACHE-RULES.md, "Frames").
 *
 * The window of an operation on the rectangle (x, y, w, h) of a frame (after
 * clipping) is [first, last] with
 *   first = offset + y * stride + x * bpp            first touched byte
 *   last  = offset + (y + h - 1) * stride + (x + w) * bpp - 1
 * (YUYV source rectangles widen to whole pixel pairs). Between rows the
 * window holds bytes the operation does not change; they are invalidated
 * at begin if a device wrote them, and written back unchanged at end.
 *
 * Directions: writes only (fill, text, sprite, copy destination): TO_DEVICE;
 * read-modify-write (darken, blend): BIDIRECTIONAL; reads (read pixel/row,
 * copy source): FROM_DEVICE. A copy within one buffer opens one
 * BIDIRECTIONAL access over both windows (a buffer has one access at a time).
 *
 * NULL and dead objects (dmabuf.h): a NULL or dead context, a NULL frame
 * or NULL result pointer is refused with -EINVAL and one message; @text,
 * @pixels and @out may be NULL only when no byte of them is used (length,
 * sprite size or count 0).
 *
 * Rules every operation follows: arguments are checked first (frame inside
 * its buffer, stride >= width * bpp, known format, rectangle sizes >= 0,
 * scale 1..4, ...); a refused call returns a negative errno, reports one
 * message naming the rule in debug builds ("dmabuf_frame_fill: stride: ...")
 * and changes nothing. Rectangles are clipped to the frame; a rectangle
 * entirely outside (or empty) does nothing and returns 0 without opening an
 * access. Colours are 0xRRGGBB, converted to the frame's format (below).
 *
 * DOC: batching operations in one access
 *
 * With no CPU access open on a buffer, an operation opens and ends its own.
 * If the caller holds one (dmabuf_begin_cpu_access), the operation runs its
 * kernel inside it with no begin/end of its own, so several operations over
 * overlapping windows maintain each line once, at the caller's begin and end.
 * That access must cover the operation's window and its direction must
 * include the operation's (writes: TO_DEVICE or BIDIRECTIONAL; reads:
 * FROM_DEVICE or BIDIRECTIONAL; read-modify-write: BIDIRECTIONAL); otherwise
 * the call returns -EPERM, reports the rule ("cpu-access", or the core's
 * "dmabuf_cpu_pointer: window") and changes nothing -- it never opens a
 * second access, never maintains the caller's lines twice, never writes
 * where the caller's end would not clean.
 *
 * Threading: as the core: any thread, not from an ISR. An open access
 * belongs to the buffer, not to a thread: whoever opened it must not end it
 * while an operation runs inside it. Implicit sync (resv.h) applies to the
 * access an operation opens (a held access did it at its own begin).
 */
#ifndef DMABUF_FRAME_H
#define DMABUF_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "dmabuf.h"
#include "pixel.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Pixel formats. KEEP IN SYNC with managed/nanoFramework.DmaBuf/PixelFormat.cs.
 *
 *   RGB565_LE  2 bytes, 16-bit value rrrrrggg gggbbbbb stored low byte first
 *   RGB565_BE  the same value stored high byte first (DVP cameras, ST7789 /
 *              ILI9341 panels: "byte-swapped" RGB565)
 *   RGB888     3 bytes R, G, B
 *   GRAY8      1 byte luma
 *   YUYV       YUV 4:2:2, 4 bytes per pixel pair: Y0 U Y1 V (BT.601, limited
 *              range); width must be even. A copy source only: drawing on it
 *              is -ENOTSUP.
 */
/*
 * A frame: a descriptor, not an object (nothing to free). The buffer is not
 * referenced by the frame: the caller keeps it alive.
 * Valid when: the format is known; width, height >= 1; stride >= width *
 * bpp; YUYV width even; and offset + (height - 1) * stride + width * bpp <=
 * the buffer's size.
 */
struct dmabuf_frame {
	dmabuf_handle_t buffer;
	uint32_t offset;  /* byte of the buffer holding pixel (0, 0) */
	uint32_t width;   /* pixels */
	uint32_t height;  /* rows */
	uint32_t stride;  /* bytes from one row to the next */
	uint32_t format;  /* enum dmabuf_pixel_format */
};

/* Check @frame against the rules above and its buffer.
 * @retval 0; -EINVAL NULL, unknown format, empty size, stride too small, odd
 *         YUYV width; -ERANGE frame outside its buffer; -EBADF bad handle. */
int dmabuf_frame_check(struct dmabuf_ctx *ctx, const struct dmabuf_frame *frame);

/*
 * Colour conversion, 0xRRGGBB to a format (bits above 24 ignored):
 *   RGB565   r >> 3, g >> 2, b >> 3 (truncation)
 *   RGB888   as is
 *   GRAY8    (77 r + 150 g + 29 b + 128) >> 8 (BT.601 luma weights / 256)
 * and back (read pixel): RGB565 channels widen by bit replication
 * (r8 = r5 << 3 | r5 >> 2), GRAY8 g gives 0xgggggg, YUYV converts as below.
 */

/* ---- drawing (all: -EINVAL bad frame/rectangle, -ERANGE frame outside its
 * buffer, -EBADF, -ENOTSUP on YUYV, -EBUSY a device mapping that writes is
 * open, -EPERM a held CPU access that does not cover the window or permit
 * the direction (see "batching"); cache backend errors are passed on) ---- */

/* Set the pixels of (x, y, width, height) ∩ frame to @rgb.
 * @retval 0; width or height < 0: -EINVAL. */
int dmabuf_frame_fill(struct dmabuf_ctx *ctx, const struct dmabuf_frame *frame, int32_t x, int32_t y,
		      int32_t width, int32_t height, uint32_t rgb);

/* Halve every channel of the rectangle's pixels (RGB565: each of the three
 * fields shifted right by one; RGB888 and GRAY8: each byte). */
int dmabuf_frame_darken(struct dmabuf_ctx *ctx, const struct dmabuf_frame *frame, int32_t x, int32_t y,
			int32_t width, int32_t height);

/* Blend @rgb over the rectangle with @alpha 0..255 (0 keeps the pixels, 255
 * is a fill): per channel, in the format's own precision,
 * out = (pixel * (255 - alpha) + colour * alpha + 127) / 255.
 * @retval -EINVAL also for alpha > 255. */
int dmabuf_frame_blend(struct dmabuf_ctx *ctx, const struct dmabuf_frame *frame, int32_t x, int32_t y,
		       int32_t width, int32_t height, uint32_t rgb, uint32_t alpha);

/*
 * Copy the rectangle (x, y, width, height) of @source to (dest_x, dest_y) of
 * @destination, converting. Clipped to both frames (the part of the source
 * rectangle that lies in the source frame and lands in the destination).
 * Conversions (source -> destination); any other pair is -ENOTSUP:
 *   same format          bytes as they are (YUYV: x, dest_x, width even)
 *   RGB565_LE <-> BE     byte swap
 *   RGB888 -> RGB565     as a colour (truncation, above)
 *   YUYV -> RGB565       BT.601 limited range, integer:
 *                        c = Y - 16, d = U - 128, e = V - 128,
 *                        R = (298c + 409e + 128) >> 8, G = (298c - 100d - 208e
 *                        + 128) >> 8, B = (298c + 516d + 128) >> 8, clamped to
 *                        0..255, then as a colour
 *   RGB565, RGB888, YUYV -> GRAY8   luma of the pixel's 0xRRGGBB (read-pixel
 *                        widening for RGB565, the YUV formula for YUYV)
 * Both frames may be in one buffer: if their windows overlap, the copy is
 * done (as through a temporary) when both frames have the same format and
 * stride, and refused with -EINVAL otherwise (a converting copy onto its own
 * source would read pixels it already wrote).
 * Counted as a CPU copy (cpu_copy.h) of the destination bytes written.
 */
int dmabuf_frame_copy(struct dmabuf_ctx *ctx, const struct dmabuf_frame *source, int32_t x, int32_t y,
		      int32_t width, int32_t height, const struct dmabuf_frame *destination, int32_t dest_x,
		      int32_t dest_y);

/*
 * Draw @length characters of @text at (x, y) (top-left of the first cell) in
 * the built-in 5x7 font: each character takes a cell of 6 x 8 pixels (glyph
 * plus one column and one row of spacing) times @scale (1..4); lit glyph
 * pixels are set to @rgb, the rest is left as it is. Characters must be
 * printable ASCII (0x20..0x7E): any other is -EINVAL.
 */
#define DMABUF_FONT_GLYPH_WIDTH 5
#define DMABUF_FONT_GLYPH_HEIGHT 7
#define DMABUF_FONT_CELL_WIDTH 6
#define DMABUF_FONT_CELL_HEIGHT 8
#define DMABUF_FONT_MAX_SCALE 4
/* Row @row (0 = top) of the glyph of @c: bit 4 is the leftmost of 5
 * columns; 0 for a character outside 0x20..0x7E or a row >= 7. */
uint8_t dmabuf_font_glyph_row(char c, uint32_t row);

int dmabuf_frame_draw_text(struct dmabuf_ctx *ctx, const struct dmabuf_frame *frame, int32_t x, int32_t y,
			   DMABUF_NULLABLE const char *text, uint32_t length, uint32_t rgb, uint32_t scale);

/*
 * Draw a sprite from caller memory: @pixels holds @width x @height pixels in
 * the frame's format, rows packed (width * bpp bytes each); @pixels_length
 * must be at least that. Pixels equal to @transparent_rgb converted to the
 * frame's format are skipped. Counted as a CPU copy of the pixels written.
 */
int dmabuf_frame_draw_sprite(struct dmabuf_ctx *ctx, const struct dmabuf_frame *frame, int32_t x, int32_t y,
			     DMABUF_NULLABLE const uint8_t *pixels, uint32_t pixels_length, int32_t width, int32_t height,
			     uint32_t transparent_rgb);

/* ---- reading (small data) ---- */

/* The pixel at (x, y) as 0xRRGGBB (see colour conversion).
 * @retval 0; -ERANGE (x, y) outside the frame; -EINVAL. */
int dmabuf_frame_read_pixel(struct dmabuf_ctx *ctx, const struct dmabuf_frame *frame, int32_t x, int32_t y,
			    uint32_t *rgb);

/* Copy the stored bytes of @count pixels of row @y from @x into @out
 * (@out_length >= count * bpp; YUYV: x and count even). Not clipped: a span
 * outside the frame is -ERANGE. Counted as a CPU copy. */
int dmabuf_frame_read_row(struct dmabuf_ctx *ctx, const struct dmabuf_frame *frame, int32_t x, int32_t y,
			  int32_t count, DMABUF_NULLABLE uint8_t *out, uint32_t out_length);

#ifdef __cplusplus
}
#endif

#endif /* DMABUF_FRAME_H */
