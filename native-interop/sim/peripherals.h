/*
 * Peripheral models over the host simulator (sim.h): a camera, a display and
 * an SPI panel that move frames with the simulator's DMA engines on virtual
 * time and signal fences (fence.h) on completion, as their interrupt handlers
 * would on hardware. Host only, like the rest of native-interop/sim.
 *
 * DOC: frames
 *
 * A frame is width x height RGB565 pixels, row after row, each pixel high
 * byte first: the order a DVP camera sensor puts bytes on its bus and an
 * ST7789 expects them on SPI, so both move the same bytes with no swap. The
 * display model reads the same order. Either may be told to use the other
 * (sim_camera_set_low_byte_first, sim_display_config.format), as a board's
 * ISP or LTDC does.
 *
 * DOC: virtual time and requests
 *
 * The peripherals of one simulator share a struct sim_peripherals: it owns
 * their timed events (a camera frame start, a display vsync) and is the only
 * thing that should advance the simulator's virtual time while peripherals
 * exist (sim_peripherals_run_until / sim_peripherals_wait), because
 * sim_advance() alone would move DMA but skip the peripherals' events.
 *
 * Every job given to a peripheral is a struct sim_request in caller memory:
 * the peripheral creates its completion fence, hands the caller a reference
 * in request->done, fills the times in, and signals the fence when the DMA has
 * finished with the buffer. After the signal the peripheral never touches the
 * request again, so the caller may reuse it (from a fence callback, too).
 * The caller drops its reference with dmabuf_fence_put when done with it.
 *
 * The buffer behind a request's mapping must stay mapped until the fence has
 * signalled: the models read or write bus memory at the mapping's addresses
 * while the job runs, exactly as the hardware would.
 *
 * Threading: none, as for the simulator. Fence callbacks run inside
 * sim_peripherals_run_until / sim_peripherals_wait, in "interrupt" context.
 */
#ifndef DMABUF_SIM_PERIPHERALS_H
#define DMABUF_SIM_PERIPHERALS_H

#include <stdbool.h>
#include <stdint.h>

#include "dmabuf/dmabuf.h"
#include "dmabuf/fence.h"
#include "dmabuf/pixel.h"
#include "sim.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Bytes of one RGB565 pixel. */
#define SIM_PIXEL_BYTES 2u

/* ---- the peripherals of one simulator and their virtual time ------------- */

struct sim_peripherals;

/*
 * Peripherals for @soc whose fences come from @fences (both must outlive the
 * result). @retval 0 and *out set; -EINVAL a NULL argument; -ENOMEM.
 */
int sim_peripherals_create(struct sim_soc *soc, struct dmabuf_fence_pool *fences,
			   struct sim_peripherals **out);

/*
 * Free the peripherals and every camera, display and panel created on them
 * (their DMA engines stay with the simulator, idle). NULL is a no-op.
 * @retval 0; -EBUSY a request has not completed yet: run virtual time until
 *         sim_peripherals_idle() first (nothing is freed).
 */
int sim_peripherals_destroy(struct sim_peripherals *peripherals);

/*
 * DOC: pictures
 *
 * The display and the SPI panel can write what they show into @folder (an
 * existing directory), natively, so every runtime that drives the same
 * models (host .NET through libdmabuf_host, the posix nanoCLR through
 * dmabuf_nf_target_sim.c) leaves the same record:
 *
 *   set<S>-display-<N>.rgb565    the display panel after its scanout N
 *   set<S>-spi-panel-<N>.rgb565  the SPI panel's glass after its transfer N
 *
 * raw RGB565, high byte first, row after row, no header (N counts from 0
 * per panel, 6 digits; S numbers the peripheral sets of the process in the
 * order they start writing, 2 digits), and one line per file appended to
 * <folder>/pictures.txt:
 *
 *   set<S> <panel> <N> <width>x<height> rgb565be fnv1a64 <16 hex digits>
 *
 * (FNV-1a, 64 bit, over the file's bytes). The display writes its whole
 * panel, the SPI panel its glass (the GRAM part the module shows).
 * NULL @folder stops writing. @retval 0; -EINVAL NULL @peripherals;
 * -ENOMEM.
 */
int sim_peripherals_write_pictures(struct sim_peripherals *peripherals, const char *folder);

/* The simulated targets' switch: sim_peripherals_write_pictures with the
 * folder named by the environment variable DMABUF_SIM_PICTURES, if it is
 * set and not empty; nothing otherwise. @retval as that. */
int sim_peripherals_pictures_from_environment(struct sim_peripherals *peripherals);

/* True when no request is queued or running on any peripheral. */
bool sim_peripherals_idle(const struct sim_peripherals *peripherals);

/* True when @fence is a completion of one of these peripherals (its fence
 * context is one of theirs): only such a fence can be brought to signal by
 * running virtual time. */
bool sim_peripherals_owns_fence(const struct sim_peripherals *peripherals, dmabuf_fence_t fence);

/*
 * Advance virtual time to @when (nothing if it is in the past), running every
 * DMA segment and peripheral event due on the way in time order; at equal
 * times DMA segments go first, then events in the order they were scheduled.
 */
void sim_peripherals_run_until(struct sim_peripherals *peripherals, uint64_t when);

/*
 * Advance virtual time until one of @fences is signalled, stopping at the
 * moment it is (no later activity is run), or until @timeout_ns of virtual
 * time have passed (UINT64_MAX: no limit). Returns at once, time unchanged,
 * if one is signalled already. This is the simulator's dmabuf_fence_wait:
 * a thread blocking on a fence would never see virtual time move.
 * @retval index in @fences of a signalled fence (the lowest one);
 *         -ETIMEDOUT the time ran out, or nothing scheduled could ever signal
 *         them (no event pending, every engine idle): the wait would be
 *         forever; -EBADF a stale fence; -EINVAL no fences.
 */
int sim_peripherals_wait(struct sim_peripherals *peripherals, const dmabuf_fence_t *fences,
			 uint32_t count, uint64_t timeout_ns);

/* A job for a peripheral, in caller memory (see DOC: virtual time and requests). */
struct sim_request {
	dmabuf_fence_t done;  /* the caller's fence reference, set when the request is accepted */
	uint32_t sequence;    /* camera: the sensor frame number captured; display: the vsync
			       * number scanned at; SPI panel: transfers accepted before this one */
	uint64_t start_ns;    /* virtual time the DMA started (0 until then) */
	uint64_t end_ns;      /* virtual time the fence was signalled (0 until then) */
	/* Private to the peripheral while the request is pending. */
	struct dmabuf_mapping mapping;
	struct sim_request *next;
};

/* ---- camera ------------------------------------------------------------------ */

/*
 * A camera sensor streaming frames through a DMA engine (DCMI / LCD_CAM /
 * MIPI-CSI). Sensor frame n starts at virtual time n * frame_period_ns; a
 * capture queued before a frame start receives that frame. The transfer runs
 * at @bytes_per_us (the sensor's pixel clock); if it is still running at the
 * next frame start, that frame is missed, as on hardware.
 */
struct sim_camera_config {
	uint32_t width;
	uint32_t height;
	uint64_t seed;            /* varies the picture: the same seed, the same frames */
	uint64_t frame_period_ns;
	uint32_t bytes_per_us;
};

struct sim_camera;

/* @retval 0 and *out set; -EINVAL a NULL argument, a zero field, or a frame
 *         larger than 4 GiB; -ENOMEM. */
int sim_camera_create(struct sim_peripherals *peripherals, const struct sim_camera_config *config,
		      struct sim_camera **out);

/* Write each pixel low byte first (@low_byte_first: as an ESP32-P4's ISP
 * does) or, the default, high byte first (DOC: frames), from the next frame
 * written on. */
void sim_camera_set_low_byte_first(struct sim_camera *camera, bool low_byte_first);

/*
 * Queue a capture into @mapping (a FROM_DEVICE or BIDIRECTIONAL mapping of
 * at least one frame). Captures are served in queue order, one per frame.
 * @retval 0 with request->done set; -EINVAL NULL, a read-only mapping or one
 *         shorter than a frame; -ENOMEM no fence left in the pool.
 */
int sim_camera_queue(struct sim_camera *camera, const struct dmabuf_mapping *mapping,
		     struct sim_request *request);

struct sim_camera_stats {
	uint32_t captured; /* frames written to memory */
	uint32_t missed;   /* frame starts with a capture queued but the DMA still busy */
	uint32_t queued;   /* captures waiting for their frame start now */
};
void sim_camera_stats(const struct sim_camera *camera, struct sim_camera_stats *out);

/*
 * The picture: pixel (x, y) of sensor frame @frame, RGB565. A pure function of
 * its arguments (and config->width, height, seed), so tests compute the
 * expected frame independently of DMA, caches and buffers. Moving colour
 * bands and a bouncing ball, with a per-pixel low-bit pattern that changes
 * every frame: no 16-pixel run of a frame repeats in another frame, so any
 * stale cache line shows up as a wrong byte.
 */
uint16_t sim_camera_pixel(const struct sim_camera_config *config, uint32_t frame, uint32_t x,
			  uint32_t y);

/* Bytes [offset, offset + length) of frame @frame as the camera writes them
 * (DOC: frames); the range must lie within the frame. */
void sim_camera_pattern(const struct sim_camera_config *config, uint32_t frame, uint32_t offset,
			uint8_t *out, uint32_t length);

/* ---- display -------------------------------------------------------------------- */

/*
 * A display with its own panel memory (a DSI command-mode or GRAM panel, as
 * on the STM32F769I-DISCO): at the first vsync after a present, it reads the
 * presented frame once through a DMA engine (LTDC / LCD_CAM / DSI) into the
 * panel, which keeps showing it until the next scanout. Vsync n is at
 * n * refresh_period_ns. The request's fence signals when the scanout has
 * read the whole frame: the buffer is the application's again.
 */
struct sim_display_config {
	uint32_t width;
	uint32_t height;
	uint64_t refresh_period_ns;
	uint32_t bytes_per_us;
	/* How the scan-out reads the frame: DMABUF_PIXEL_RGB565_LE swaps each
	 * pixel's bytes into the panel; anything else (0 included) is RGB565
	 * high byte first, the panel's own order (DOC: frames). */
	uint32_t format;
};

struct sim_display;

/* @retval 0 and *out set; -EINVAL; -ENOMEM. The panel starts black. */
int sim_display_create(struct sim_peripherals *peripherals, const struct sim_display_config *config,
		       struct sim_display **out);

/*
 * Present the frame at the start of @mapping (TO_DEVICE or BIDIRECTIONAL, at
 * least one frame long) at the next vsync. One presentation waits for vsync
 * at a time (one more may be scanning).
 * @retval 0 with request->done set; -EBUSY a presentation already waits for
 *         vsync; -EINVAL; -ENOMEM no fence left.
 */
int sim_display_present(struct sim_display *display, const struct dmabuf_mapping *mapping,
			struct sim_request *request);

/* Copy what the panel shows, width * height pixels (DOC: frames), into @out.
 * @retval 0; -EINVAL @length is not the panel's size. */
int sim_display_read_panel(const struct sim_display *display, uint8_t *out, uint32_t length);

struct sim_display_stats {
	uint32_t scanouts;     /* frames read into the panel */
	uint32_t late_vsyncs;  /* vsyncs passed with a frame waiting while the previous scanout ran */
};
void sim_display_stats(const struct sim_display *display, struct sim_display_stats *out);

/* ---- SPI panel --------------------------------------------------------------------- */

/*
 * An SPI panel controller (ST7789) with its own frame memory (GRAM). A write
 * sets a window of GRAM (CASET/RASET) and streams the window's pixels into it
 * (RAMWR) through the SPI's DMA at @bytes_per_us (SPI clock / 8). The glass
 * shows the GRAM rectangle glass_x, glass_y, glass_width x glass_height: a
 * 240 x 240 ST7789 module has 320 x 240 GRAM (landscape), of which it shows
 * 240 columns.
 */
struct sim_spi_panel_config {
	uint32_t ram_width;
	uint32_t ram_height;
	uint32_t glass_x;
	uint32_t glass_y;
	uint32_t glass_width;
	uint32_t glass_height;
	uint32_t bytes_per_us;
	/* true: the controller starts as after power-on (asleep, display off,
	 * 18-bit pixels) and takes pixels only once initialised
	 * (sim_spi_panel_command); false: ready, as if initialised for RGB565
	 * in landscape. */
	bool starts_asleep;
};

/* A rectangle of GRAM, in pixels. */
struct sim_spi_window {
	uint32_t x;
	uint32_t y;
	uint32_t width;
	uint32_t height;
};

struct sim_spi_panel;

/* @retval 0 and *out set; -EINVAL (also a glass outside GRAM); -ENOMEM.
 * GRAM starts black. */
int sim_spi_panel_create(struct sim_peripherals *peripherals, const struct sim_spi_panel_config *config,
			 struct sim_spi_panel **out);

/*
 * Stream @window's pixels from @mapping (TO_DEVICE or BIDIRECTIONAL): row r
 * of the window is the window->width pixels at byte @offset + r * @stride of
 * the mapping. When @stride is the row's length the rows are one contiguous
 * block and go as one DMA job, in the mapping's segments; otherwise (a crop of
 * a wider frame) each row is its own DMA job, started when the previous one
 * completes, as a driver re-arms the stream from its transfer-complete
 * interrupt. One transfer runs at a time.
 * @retval 0 with request->done set; -EBUSY a transfer is running; -EINVAL a
 *         window outside GRAM or empty, rows outside the mapping, a stride
 *         shorter than a row; -EPERM the controller is not initialised
 *         (sim_spi_panel_command); -ENOMEM no fence left.
 */
int sim_spi_panel_write(struct sim_spi_panel *panel, const struct dmabuf_mapping *mapping,
			uint32_t offset, uint32_t stride, const struct sim_spi_window *window,
			struct sim_request *request);

/*
 * The controller command @command with its @count parameter bytes, as the
 * ST7789 takes them: SWRESET (0x01) back to the power-on state; SLPIN /
 * SLPOUT (0x10 / 0x11); DISPOFF / DISPON (0x28 / 0x29); COLMOD (0x3A, one
 * byte: 0x55 is 16 bits per pixel); MADCTL (0x36, one byte: MV, 0x20, is the
 * landscape GRAM this model has); INVOFF / INVON (0x20 / 0x21), NORON
 * (0x13), CASET / RASET (0x2A / 0x2B, four bytes; a write sets its own
 * window) are taken; other commands are ignored, as by the controller. The
 * bytes take no virtual time (a handful at the SPI's rate), and the
 * delays the datasheet asks for after SWRESET and SLPOUT are not checked:
 * a program's sleeps do not run virtual time. The request completes at
 * once. Pixel writes are refused until the panel is awake, its display on,
 * COLMOD 16 bits and MADCTL landscape.
 * @retval 0 with request->done set; -EBUSY a transfer is running; -EINVAL
 *         COLMOD, MADCTL, CASET or RASET without their parameters;
 *         -ENOMEM no fence left.
 */
int sim_spi_panel_command(struct sim_spi_panel *panel, uint32_t command, const uint8_t *parameters,
			  uint32_t count, struct sim_request *request);

/* Copy what the glass shows, glass_width * glass_height pixels of GRAM
 * (DOC: frames), into @out. @retval 0; -EINVAL @length is not the glass's size. */
int sim_spi_panel_read_glass(const struct sim_spi_panel *panel, uint8_t *out, uint32_t length);

struct sim_spi_panel_stats {
	uint32_t transfers; /* writes completed */
	uint32_t dma_jobs;  /* DMA jobs they took (rows of a crop count one each) */
	uint64_t bytes;     /* pixel bytes received */
};
void sim_spi_panel_stats(const struct sim_spi_panel *panel, struct sim_spi_panel_stats *out);

#ifdef __cplusplus
}
#endif

#endif /* DMABUF_SIM_PERIPHERALS_H */
