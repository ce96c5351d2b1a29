/*
 * STM32F7 DCMI, LTDC and SPI adapters behind the peripheral contract
 * (stm32_peripherals.h). The front (core/peripheral.c) has checked every
 * job against the constraints stated here; what is left is the job's fence
 * (../peripheral_job.h): made before the adapter starts, the caller's
 * reference handed out, the adapter's own reference dropped in the
 * interrupt right after the signal.
 */
#include "stm32_peripherals.h"

#include "dmabuf/errors.h"

#define ST7789_CASET 0x2Au
#define ST7789_RASET 0x2Bu
#define ST7789_RAMWR 0x2Cu

/* The peripheral member is first in each of the three structs. */
#define STM32_PERIPHERAL_OF(type, peripheral) ((type *)(void *)(peripheral))

/* ---- DCMI camera ---------------------------------------------------------------------- */

static int camera_capture(struct dmabuf_peripheral *peripheral, const struct dmabuf_mapping *mapping,
			  dmabuf_fence_t *done)
{
	struct stm32_camera *camera = STM32_PERIPHERAL_OF(struct stm32_camera, peripheral);
	int err = dmabuf_peripheral_job_begin(&camera->job, done);
	if (err)
		return err;
	/* The DCMI adapter completes on the last part of exactly one frame: the
	 * buffer itself is padded to cache lines. */
	struct dmabuf_mapping frame = dmabuf_mapping_range(mapping, 0, dmabuf_peripheral_frame_bytes(peripheral));
	err = stm32_dcmi_capture_start(&camera->capture, &frame);
	return err ? dmabuf_peripheral_job_cancel(&camera->job, *done, err) : 0;
}

static const struct dmabuf_peripheral_ops camera_ops = {
	.configure = dmabuf_peripheral_job_configure,
	.capture = camera_capture,
	.completion = dmabuf_peripheral_job_completion,
};

void stm32_camera_init(struct stm32_camera *camera, const char *name, uint32_t max_width, uint32_t max_height)
{
	camera->peripheral = (struct dmabuf_peripheral){
		.name = name,
		.device = "dcmi",
		.kind = DMABUF_PERIPHERAL_CAMERA,
		.constraints = { (1u << DMABUF_PIXEL_RGB565_BE) | (1u << DMABUF_PIXEL_YUYV), max_width, max_height },
		.ops = &camera_ops,
		.driver = &camera->job,
	};
}

int stm32_camera_on_dma(struct stm32_camera *camera, uint32_t flags)
{
	int result = stm32_dcmi_capture_on_dma(&camera->capture, flags);
	if (result == STM32_TRANSFER_DONE)
		dmabuf_peripheral_job_end(&camera->job, 0);
	else if (result == DMABUF_EIO)
		dmabuf_peripheral_job_end(&camera->job, DMABUF_EIO);
	return result;
}

/* ---- LTDC display ---------------------------------------------------------------------- */

/* The LTDC's view of frames of @format: packed lines, pitch = width x bytes per pixel. */
static struct stm32_ltdc_frame ltdc_frame_of(const struct dmabuf_frame_format *format)
{
	uint32_t pixel = dmabuf_pixel_bytes(format->format);
	return (struct stm32_ltdc_frame){ format->width, format->height, pixel, format->width * pixel };
}

/* The layer's window, format and line length for frames of @format, so
 * that presents only switch buffers. */
static int display_configure(struct dmabuf_peripheral *peripheral, const struct dmabuf_frame_format *format)
{
	struct stm32_display *display = STM32_PERIPHERAL_OF(struct stm32_display, peripheral);
	struct stm32_ltdc_frame frame = ltdc_frame_of(format);
	if (display->job.running)
		return DMABUF_EBUSY;
	return stm32_ltdc_layer_setup(display->ltdc, display->layer, &frame, &display->report);
}

static int display_present(struct dmabuf_peripheral *peripheral, const struct dmabuf_mapping *mapping,
			   dmabuf_fence_t *released)
{
	struct stm32_display *display = STM32_PERIPHERAL_OF(struct stm32_display, peripheral);
	struct stm32_ltdc_frame frame = ltdc_frame_of(&peripheral->format);
	int err = dmabuf_peripheral_job_begin(&display->job, released);
	if (err)
		return err;
	/* At the next vertical blanking: until then the LTDC scans the frame
	 * this one replaces, whose release is the fence. */
	err = stm32_ltdc_layer_show(display->ltdc, display->layer, &frame, mapping, LTDC_SRCR_VBR, &display->report);
	return err ? dmabuf_peripheral_job_cancel(&display->job, *released, err) : 0;
}

static const struct dmabuf_peripheral_ops display_ops = {
	.configure = display_configure,
	.present = display_present,
	.completion = dmabuf_peripheral_job_completion,
};

void stm32_display_init(struct stm32_display *display, const char *name, uint32_t width, uint32_t height)
{
	display->peripheral = (struct dmabuf_peripheral){
		.name = name,
		.device = "ltdc",
		.kind = DMABUF_PERIPHERAL_DISPLAY,
		/* Not RGB888: the LTDC's is B, G, R in memory, DmaBuf's R, G, B. */
		.constraints = { 1u << DMABUF_PIXEL_RGB565_LE, width, height },
		.ops = &display_ops,
		.driver = &display->job,
	};
}

int stm32_display_on_reload(struct stm32_display *display)
{
	if (!display->job.running || stm32_ltdc_reload_pending(display->ltdc))
		return 0;
	dmabuf_peripheral_job_end(&display->job, 0);
	return 1;
}

/* ---- ST7789 / ILI9341 SPI panel ---------------------------------------------------------- */

/* A column or row address command: first and last, 16 bits each, high byte first. */
static void address_window(struct stm32_spi_panel *panel, uint8_t command, uint32_t first, uint32_t count)
{
	uint32_t last = first + count - 1u;
	uint8_t parameters[4] = { (uint8_t)(first >> 8), (uint8_t)first, (uint8_t)(last >> 8), (uint8_t)last };
	panel->command(panel->board, command, parameters, sizeof(parameters));
}

static int panel_write_rect(struct dmabuf_peripheral *peripheral, const struct dmabuf_mapping *mapping,
			    uint32_t offset, uint32_t stride, const struct dmabuf_rect *window, dmabuf_fence_t *done)
{
	struct stm32_spi_panel *panel = STM32_PERIPHERAL_OF(struct stm32_spi_panel, peripheral);
	uint32_t row = window->width * dmabuf_pixel_bytes(peripheral->format.format);
	int err = dmabuf_peripheral_job_begin(&panel->job, done);
	if (err)
		return err;
	address_window(panel, ST7789_CASET, window->x, window->width);
	address_window(panel, ST7789_RASET, window->y, window->height);
	panel->command(panel->board, ST7789_RAMWR, NULL, 0);

	/* Rows that follow each other in the frame go as one stream; a crop of
	 * a wider frame goes row by row, re-armed from the interrupt. */
	bool contiguous = stride == row;
	panel->rows = *mapping;
	panel->stride = stride;
	panel->row_bytes = row;
	panel->rows_left = contiguous ? 0u : window->height - 1u;
	struct dmabuf_mapping first = dmabuf_mapping_range(mapping, offset, contiguous ? row * window->height : row);
	panel->rows.dma_addr = first.dma_addr;
	err = stm32_spi_tx_start(&panel->tx, &first);
	return err ? dmabuf_peripheral_job_cancel(&panel->job, *done, err) : 0;
}

/* The command hook is polled and returns once the bytes have left (a few
 * microseconds at the panel's clock): the fence is signalled before the
 * caller gets it, so the command costs no interrupt. */
static int panel_command(struct dmabuf_peripheral *peripheral, uint32_t command, const uint8_t *parameters,
			 uint32_t count, dmabuf_fence_t *done)
{
	struct stm32_spi_panel *panel = STM32_PERIPHERAL_OF(struct stm32_spi_panel, peripheral);
	int err = dmabuf_peripheral_job_begin(&panel->job, done);
	if (err)
		return err;
	panel->command(panel->board, (uint8_t)command, parameters, count);
	dmabuf_peripheral_job_end(&panel->job, 0);
	return 0;
}

static const struct dmabuf_peripheral_ops panel_ops = {
	.configure = dmabuf_peripheral_job_configure,
	.write_rect = panel_write_rect,
	.command = panel_command,
	.completion = dmabuf_peripheral_job_completion,
};

void stm32_spi_panel_init(struct stm32_spi_panel *panel, const char *name, const char *dma_master,
			  uint32_t ram_width, uint32_t ram_height)
{
	panel->peripheral = (struct dmabuf_peripheral){
		.name = name,
		.device = dma_master,
		.kind = DMABUF_PERIPHERAL_SPI_PANEL,
		.constraints = { 1u << DMABUF_PIXEL_RGB565_BE, ram_width, ram_height },
		.ops = &panel_ops,
		.driver = &panel->job,
	};
}

int stm32_spi_panel_on_dma(struct stm32_spi_panel *panel, uint32_t flags)
{
	int result = stm32_spi_tx_on_dma(&panel->tx, flags);
	if (result == STM32_TRANSFER_DONE && panel->rows_left > 0u) {
		/* The next row of the crop: the previous one started at rows.dma_addr. */
		panel->rows_left--;
		struct dmabuf_mapping next = dmabuf_mapping_range(&panel->rows, panel->stride, panel->row_bytes);
		panel->rows.dma_addr = next.dma_addr;
		result = stm32_spi_tx_start(&panel->tx, &next);
		if (result == 0)
			return STM32_TRANSFER_RUNNING;
	}
	if (result == STM32_TRANSFER_DONE)
		dmabuf_peripheral_job_end(&panel->job, 0);
	else if (result < 0)
		dmabuf_peripheral_job_end(&panel->job, result);
	return result;
}
