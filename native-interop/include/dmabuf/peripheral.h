/*
 * Frame peripherals: the contract between the DmaBuf API (and the managed
 * Camera, ScanoutDisplay and SpiPanel classes over it) and the back ends
 * that drive real or simulated hardware: the host simulator
 * (native-interop/sim/peripheral_sim.c) and the firmware adapters
 * (firmware/adapters/stm32/stm32_peripherals.c: STM32 DCMI, LTDC, SPI;
 * firmware/adapters/esp: esp_camera.c, esp_dpi_display.c, esp_spi_panel.c
 * over ESP-IDF's esp_cam_ctlr and esp_lcd; both keep their jobs' fences and
 * completions with firmware/adapters/peripheral_job.c).
 *
 * DOC: lifecycle
 *
 *   back end fills a struct dmabuf_peripheral (name, DMA master, constraints,
 *   ops, driver state)
 *   dmabuf_peripheral_register()   mandatory ops and constraints checked once
 *   dmabuf_peripheral_open(name)   what the managed Open calls do: find, then
 *   dmabuf_peripheral_configure()  the frame format the application uses:
 *                                  refused with -EDOM naming the constraint
 *                                  (format, width, height) the device states
 *   attach the frame buffers to the peripheral's DMA master (p->device) and
 *   map them: attach refuses a frame outside the master's reach (-EFAULT)
 *   dmabuf_camera_capture / dmabuf_display_present / dmabuf_spi_panel_write
 *                                  -> a fence, signalled by the back end from
 *                                  its completion interrupt
 *
 * Frames are packed rows (stride = width x bytes per pixel) unless a call
 * takes a stride. A job's mapping must stay mapped until its fence signals:
 * the device reads or writes the mapping's addresses until then.
 *
 * Errors: as everywhere, negative dmabuf_error values, one debug message per
 * failure naming the rule ("dmabuf_peripheral_configure: format: camera
 * 'dcmi' does not take GRAY8"). -EDOM is "the device cannot serve this
 * configuration": the managed layer throws DmaConstraintException for it.
 *
 * NULL and dead objects (dmabuf.h): a registry and a peripheral are
 * caller-owned descriptors, not objects: the registry is zeroed memory, a
 * peripheral a struct its back end fills, and neither has an init or a
 * deinit, so there is no liveness word and nothing "dead" to refuse (a
 * registered peripheral must outlive its registry's use instead). The rule
 * refuses them NULL: -EINVAL (NULL from the lookups, nothing from
 * dmabuf_peripheral_info, 0 from dmabuf_peripheral_frame_bytes, a zero
 * mapping from dmabuf_mapping_range), one message through the fallback sink;
 * a NULL pointer next to them is reported through their report member.
 *
 * Threading: the front functions here take no lock; a peripheral is driven by
 * one thread at a time (the managed classes lock around their calls). The
 * back end's interrupt side only signals fences (fence.h, ISR-safe).
 */
#ifndef DMABUF_PERIPHERAL_H
#define DMABUF_PERIPHERAL_H

#include <stdbool.h>
#include <stdint.h>

#include "dmabuf.h"
#include "fence.h"
#include "pixel.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Pixel formats (pixel.h) a peripheral takes are bit positions (1u << format)
 * in dmabuf_peripheral_constraints.formats. */

/* KEEP IN SYNC with DmaPeripheral.cs (KindCamera, KindDisplay, KindSpiPanel). */
enum dmabuf_peripheral_kind {
	DMABUF_PERIPHERAL_CAMERA = 1,
	DMABUF_PERIPHERAL_DISPLAY = 2,
	DMABUF_PERIPHERAL_SPI_PANEL = 3
};

/*
 * What a device states it can serve. Camera, display: the largest frame
 * (max_width x max_height). SPI panel: the controller's frame memory (GRAM),
 * which every window must lie in.
 */
struct dmabuf_peripheral_constraints {
	uint32_t formats; /* 1u << format for every format the device takes; not 0 */
	uint32_t max_width;
	uint32_t max_height;
};

/* A frame configuration: width x height pixels of @format, rows packed. */
struct dmabuf_frame_format {
	uint32_t width;
	uint32_t height;
	uint32_t format;
};

/* A rectangle in pixels. */
struct dmabuf_rect {
	uint32_t x;
	uint32_t y;
	uint32_t width;
	uint32_t height;
};

/* What a finished job reports (dmabuf_peripheral_ops.completion). */
struct dmabuf_completion {
	uint32_t sequence;     /* camera: sensor frame number; display: vsync number; SPI: transfer number */
	uint64_t start_us;     /* when its DMA started, on the back end's clock */
	uint64_t timestamp_us; /* when the fence signalled, on the same clock */
};

struct dmabuf_peripheral;

/*
 * What a back end implements. Every member runs in thread context with no
 * DmaBuf lock held, after the front function has validated its arguments
 * (a configured peripheral, a mapping long enough and in the right
 * direction, a window inside GRAM); a member may still refuse what its
 * hardware cannot do at that moment. Members return 0 or a negative
 * dmabuf_error. Fences a member hands out come from the back end's fence
 * pool, one reference for the caller, and are signalled by the back end
 * (from its completion interrupt on hardware) when the DMA has finished with
 * the buffer; with an error (dmabuf_fence_signal_error) if it could not run.
 */
struct dmabuf_peripheral_ops {
	/*
	 * Set the device up for frames of @format (within its constraints:
	 * checked). Mandatory. Called again with the same format: 0, nothing
	 * changes. @retval 0; -EBUSY configured for another format and the
	 * hardware cannot switch (a job runs, or the back end cannot reconfigure);
	 * -ENOMEM.
	 */
	int (*configure)(struct dmabuf_peripheral *peripheral, const struct dmabuf_frame_format *format);

	/*
	 * Camera, mandatory there: queue the capture of the next whole frame into
	 * @mapping (FROM_DEVICE or BIDIRECTIONAL, at least one frame). Captures
	 * are served in queue order, one sensor frame each; *@done signals when
	 * the frame's last byte is in memory. @retval 0 and *@done set; -EBUSY no
	 * room for another queued capture; -ENOMEM no fence left.
	 */
	int (*capture)(struct dmabuf_peripheral *peripheral, const struct dmabuf_mapping *mapping,
		       dmabuf_fence_t *done);

	/*
	 * Scan-out display, mandatory there: show the frame at the start of
	 * @mapping (TO_DEVICE or BIDIRECTIONAL, at least one frame) from the next
	 * vsync on: the page flip. *@released signals when the scan-out no
	 * longer reads the frame it replaced, so that buffer may be reused (for a
	 * display with its own panel memory, when the new frame has been read).
	 * @retval 0 and *@released set; -EBUSY a frame already waits for vsync;
	 * -ENOMEM no fence left.
	 */
	int (*present)(struct dmabuf_peripheral *peripheral, const struct dmabuf_mapping *mapping,
		       dmabuf_fence_t *released);

	/*
	 * SPI panel, mandatory there: the ST7789 / ILI9341 sequence CASET
	 * (window->x .. x + width - 1), RASET (window->y .. y + height - 1), RAMWR,
	 * then stream the window's pixels by DMA: row r is window->width pixels
	 * at byte @offset + r x @stride of @mapping (TO_DEVICE or BIDIRECTIONAL).
	 * *@done signals when the last byte has left. @retval 0 and *@done set;
	 * -EBUSY a transfer runs; -ENOMEM no fence left.
	 */
	int (*write_rect)(struct dmabuf_peripheral *peripheral, const struct dmabuf_mapping *mapping,
			  uint32_t offset, uint32_t stride, const struct dmabuf_rect *window, dmabuf_fence_t *done);

	/*
	 * SPI panel, optional: send the controller command @command with its
	 * @count parameter bytes (data/command line low for the command byte
	 * only): what initialises the panel (ST7789: SWRESET, SLPOUT, COLMOD,
	 * MADCTL, INVON, DISPON). *@done signals when the last byte has left;
	 * the delays a command needs after it (120 ms after SLPOUT) are the
	 * caller's. Absent: -ENOTSUP from the front. @retval 0 and *@done set;
	 * -EBUSY a transfer runs; -ENOMEM no fence left.
	 */
	int (*command)(struct dmabuf_peripheral *peripheral, uint32_t command, const uint8_t *parameters,
		       uint32_t count, dmabuf_fence_t *done);

	/*
	 * Optional: what the job whose fence is @done reported, once it has
	 * signalled. @retval 0 and *@out set; -ENOENT not a recent job of this
	 * peripheral, or not finished yet. Absent: -ENOTSUP from the front.
	 */
	int (*completion)(struct dmabuf_peripheral *peripheral, dmabuf_fence_t done, struct dmabuf_completion *out);
};

/*
 * One peripheral, in the back end's memory (it must outlive its
 * registration). The back end fills the members above the line before
 * dmabuf_peripheral_register; the front functions own those below.
 */
struct dmabuf_peripheral {
	const char *name;   /* what the application opens it by ("camera", "display", "spi-panel") */
	const char *device; /* the board's DMA master it moves frames with (dmabuf_device_find) */
	uint32_t kind;      /* enum dmabuf_peripheral_kind */
	struct dmabuf_peripheral_constraints constraints;
	/* Camera, display: frames of exactly max_width x max_height only (an
	 * ESP32 camera controller's size is fixed when the board creates it);
	 * false: any size up to it. Tells the application what to ask for
	 * (DmaHeap.GetPeripheralFrameSize); the back end's configure refuses
	 * another size (-EDOM). */
	bool fixed_size;
	const struct dmabuf_peripheral_ops *ops;
	void *driver;       /* the back end's state */
	/* ---- set by the front functions ---- */
	bool configured;
	struct dmabuf_frame_format format; /* valid once configured */
	dmabuf_report_fn report;           /* the registry's, for debug messages */
	void *report_user;
};

/* Peripherals one registry holds. */
#define DMABUF_PERIPHERAL_MAX 8u

/* The peripherals of one board, in caller memory; zero-initialise it. */
struct dmabuf_peripheral_registry {
	struct dmabuf_peripheral *peripherals[DMABUF_PERIPHERAL_MAX];
	uint32_t count;
	dmabuf_report_fn report; /* debug messages of every front function (NULL: silent) */
	void *report_user;
};

/*
 * Add @peripheral to @registry after checking it once: a name and a device,
 * a known kind, the ops its kind needs (configure, and capture / present /
 * write_rect), known formats (at least one) and a non-zero maximum size.
 * Thread context. @retval 0; -EINVAL a check failed (the message names the
 * missing member); -EEXIST the name is taken; -ENOMEM the registry is full.
 */
int dmabuf_peripheral_register(struct dmabuf_peripheral_registry *registry, struct dmabuf_peripheral *peripheral);

/* The peripheral named @name, of @kind (0: any), or NULL. */
struct dmabuf_peripheral *dmabuf_peripheral_find(const struct dmabuf_peripheral_registry *registry,
						 const char *name, uint32_t kind);

/*
 * What the interop layers call on an open from C#: find @name of @kind
 * (0: any) and configure it for @format.
 * @retval the peripheral's id (> 0, its 1-based place in @registry, for
 *         dmabuf_peripheral_at); -ENOENT no such peripheral (named in the
 *         message); as dmabuf_peripheral_configure.
 */
int dmabuf_peripheral_open(struct dmabuf_peripheral_registry *registry, const char *name, uint32_t kind,
			   const struct dmabuf_frame_format *format);

/* The peripheral of @id (dmabuf_peripheral_open), or NULL. */
struct dmabuf_peripheral *dmabuf_peripheral_at(const struct dmabuf_peripheral_registry *registry, int32_t id);

/*
 * Configure @peripheral for @format. SPI panels take the format only
 * (@format width and height 0: the window comes with each write).
 * @retval 0; -EDOM a format the device does not take, a frame larger than
 *         it can serve ("format", "width", "height" in the message);
 *         -EINVAL NULL, a zero size, an unknown format; as ops->configure.
 */
int dmabuf_peripheral_configure(struct dmabuf_peripheral *peripheral, const struct dmabuf_frame_format *format);

/*
 * @peripheral as the values both interop layers hand to C#: kind, formats,
 * max_width, max_height, then the configured width, height, format and
 * frame bytes. KEEP IN SYNC with DmaPeripheral.cs (Info* constants).
 */
#define DMABUF_PERIPHERAL_INFO_VALUES 8u
void dmabuf_peripheral_info(const struct dmabuf_peripheral *peripheral, int32_t values[DMABUF_PERIPHERAL_INFO_VALUES]);

/* Bytes of one configured frame (0 before configure, and for SPI panels). */
uint32_t dmabuf_peripheral_frame_bytes(const struct dmabuf_peripheral *peripheral);

/*
 * Capture the next frame into @mapping (ops->capture).
 * @retval 0 and *@done set; -EPERM not configured; -EINVAL NULL, not a
 *         camera, a mapping the device cannot write; -EDOM the frame
 *         (mapping) is smaller than the camera's frame; as ops->capture.
 */
int dmabuf_camera_capture(struct dmabuf_peripheral *camera, const struct dmabuf_mapping *mapping,
			  dmabuf_fence_t *done);

/*
 * Present the frame at the start of @mapping (ops->present).
 * @retval 0 and *@released set; -EPERM not configured; -EINVAL NULL, not
 *         a display, a mapping the device cannot read; -EDOM the panel is
 *         larger than the frame (mapping); as ops->present.
 */
int dmabuf_display_present(struct dmabuf_peripheral *display, const struct dmabuf_mapping *mapping,
			   dmabuf_fence_t *released);

/*
 * Write @window of GRAM from @mapping (ops->write_rect).
 * @retval 0 and *@done set; -EPERM not configured; -EINVAL NULL, not an SPI
 *         panel, a mapping the device cannot read, an empty window, a stride
 *         shorter than a row; -ERANGE the window is not inside GRAM;
 *         -EDOM the rectangle's rows run past the frame (mapping);
 *         as ops->write_rect.
 */
int dmabuf_spi_panel_write(struct dmabuf_peripheral *panel, const struct dmabuf_mapping *mapping, uint32_t offset,
			   uint32_t stride, const struct dmabuf_rect *window, dmabuf_fence_t *done);

/* Parameter bytes one SPI panel command carries at most. */
#define DMABUF_SPI_PANEL_COMMAND_PARAMETERS_MAX 16u

/*
 * Send the controller command @command (0..255) with @count parameter bytes
 * (ops->command); a panel must be initialised this way before it shows
 * anything.
 * @retval 0 and *@done set; -EPERM not configured; -EINVAL NULL, not an SPI
 *         panel, a command above 255, more than
 *         DMABUF_SPI_PANEL_COMMAND_PARAMETERS_MAX parameters or NULL ones;
 *         -ENOTSUP the back end sends no commands; as ops->command.
 */
int dmabuf_spi_panel_command(struct dmabuf_peripheral *panel, uint32_t command, const uint8_t *parameters,
			     uint32_t count, dmabuf_fence_t *done);

/*
 * The part [@offset, @offset + @length) of @mapping as a mapping of its own,
 * in segments no longer than @mapping's (the device's limit): what a back end
 * programs for a frame inside a padded buffer, or for one row of a crop. The
 * range must lie inside @mapping and @length must not be 0 (the front
 * functions have checked both). NULL @mapping: a mapping of all zeros.
 */
struct dmabuf_mapping dmabuf_mapping_range(const struct dmabuf_mapping *mapping, uint32_t offset, uint32_t length);

/* ops->completion. @retval as there; -ENOTSUP the back end has none; -EINVAL NULL. */
int dmabuf_peripheral_completion(struct dmabuf_peripheral *peripheral, dmabuf_fence_t done,
				 struct dmabuf_completion *out);

#ifdef __cplusplus
}
#endif

#endif /* DMABUF_PERIPHERAL_H */
