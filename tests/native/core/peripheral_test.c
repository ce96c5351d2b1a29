/*
 * The peripheral contract's front (dmabuf/peripheral.h) over a recording
 * back end: registration refuses a back end without its mandatory ops, and
 * every job the device cannot serve (format, size, a frame smaller than the
 * device moves, a window outside GRAM) is refused with the constraint named
 * before the back end sees it; what passes reaches the back end unchanged.
 */
#include <string.h>

#include "dmabuf/peripheral.h"
#include "unit.h"

static char last_message[192];

static void keep_message(void *user, const char *message)
{
	(void)user;
	strncpy(last_message, message, sizeof(last_message) - 1u);
}

/* What the recording back end was asked. */
static struct {
	uint32_t configures, jobs;
	struct dmabuf_frame_format format;
	struct dmabuf_mapping mapping;
	uint32_t offset, stride;
	struct dmabuf_rect window;
} seen;

static int fake_configure(struct dmabuf_peripheral *p, const struct dmabuf_frame_format *format)
{
	(void)p;
	seen.configures++;
	seen.format = *format;
	return 0;
}

static int fake_job(const struct dmabuf_mapping *mapping, dmabuf_fence_t *fence)
{
	seen.jobs++;
	seen.mapping = *mapping;
	*fence = 77;
	return 0;
}

static int fake_capture(struct dmabuf_peripheral *p, const struct dmabuf_mapping *m, dmabuf_fence_t *done)
{
	(void)p;
	return fake_job(m, done);
}

static int fake_present(struct dmabuf_peripheral *p, const struct dmabuf_mapping *m, dmabuf_fence_t *released)
{
	(void)p;
	return fake_job(m, released);
}

static int fake_write(struct dmabuf_peripheral *p, const struct dmabuf_mapping *m, uint32_t offset, uint32_t stride,
		      const struct dmabuf_rect *window, dmabuf_fence_t *done)
{
	(void)p;
	seen.offset = offset;
	seen.stride = stride;
	seen.window = *window;
	return fake_job(m, done);
}

static const struct dmabuf_peripheral_ops full_ops = {
	.configure = fake_configure, .capture = fake_capture, .present = fake_present, .write_rect = fake_write,
};
static const struct dmabuf_peripheral_ops no_capture_ops = { .configure = fake_configure, .present = fake_present };

static struct dmabuf_peripheral_registry registry;
static struct dmabuf_peripheral camera, display, panel;

/* A registry with a camera (RGB565_BE or YUV422, up to 64 x 48), a display
 * (RGB565_LE, up to 32 x 32) and an SPI panel (RGB565_BE, 40 x 30 GRAM). */
static void set_up(void)
{
	memset(&seen, 0, sizeof(seen));
	last_message[0] = '\0';
	registry = (struct dmabuf_peripheral_registry){ .report = keep_message };
	camera = (struct dmabuf_peripheral){
		.name = "camera", .device = "dcmi", .kind = DMABUF_PERIPHERAL_CAMERA, .ops = &full_ops,
		.constraints = { (1u << DMABUF_PIXEL_RGB565_BE) | (1u << DMABUF_PIXEL_YUYV), 64, 48 },
	};
	display = (struct dmabuf_peripheral){
		.name = "display", .device = "ltdc", .kind = DMABUF_PERIPHERAL_DISPLAY, .ops = &full_ops,
		.constraints = { 1u << DMABUF_PIXEL_RGB565_LE, 32, 32 },
	};
	panel = (struct dmabuf_peripheral){
		.name = "spi-panel", .device = "dma2", .kind = DMABUF_PERIPHERAL_SPI_PANEL, .ops = &full_ops,
		.constraints = { 1u << DMABUF_PIXEL_RGB565_BE, 40, 30 },
	};
}

static struct dmabuf_mapping mapping(uint32_t length, enum dmabuf_direction direction)
{
	return (struct dmabuf_mapping){ 0x20000000u, length, length, 1, (uint32_t)direction };
}

/* Whether the debug message names @part (messages exist in debug builds only). */
static bool message_has(const char *part)
{
#ifdef DMABUF_DEBUG
	return strstr(last_message, part) != NULL;
#else
	(void)part;
	return true;
#endif
}

static void register_checks_mandatory_ops_and_constraints_once(void)
{
	set_up();
	struct dmabuf_peripheral bad = camera;
	bad.ops = &no_capture_ops;
	UNIT_EQ(dmabuf_peripheral_register(&registry, &bad), DMABUF_EINVAL);
	UNIT_ASSERT(message_has("capture"));
	bad = camera;
	bad.constraints.formats = 1u << DMABUF_PIXEL_FORMAT_END;
	UNIT_EQ(dmabuf_peripheral_register(&registry, &bad), DMABUF_EINVAL);
	bad = camera;
	bad.constraints.max_height = 0;
	UNIT_EQ(dmabuf_peripheral_register(&registry, &bad), DMABUF_EINVAL);
	bad = camera;
	bad.kind = 9;
	UNIT_EQ(dmabuf_peripheral_register(&registry, &bad), DMABUF_EINVAL);
	bad = camera;
	bad.device = NULL;
	UNIT_EQ(dmabuf_peripheral_register(&registry, &bad), DMABUF_EINVAL);
	UNIT_EQ(registry.count, 0);

	UNIT_EQ(dmabuf_peripheral_register(&registry, &camera), 0);
	UNIT_EQ(dmabuf_peripheral_register(&registry, &display), 0);
	UNIT_EQ(dmabuf_peripheral_register(&registry, &panel), 0);
	struct dmabuf_peripheral twin = display;
	UNIT_EQ(dmabuf_peripheral_register(&registry, &twin), DMABUF_EEXIST);
	UNIT_ASSERT(dmabuf_peripheral_find(&registry, "display", 0) == &display);
	UNIT_ASSERT(dmabuf_peripheral_find(&registry, "display", DMABUF_PERIPHERAL_CAMERA) == NULL);
	UNIT_ASSERT(dmabuf_peripheral_find(&registry, "disp", 0) == NULL);
}

static void configure_refuses_what_the_device_does_not_take_naming_it(void)
{
	set_up();
	UNIT_EQ(dmabuf_peripheral_register(&registry, &camera), 0);
	struct dmabuf_frame_format f = { 64, 48, DMABUF_PIXEL_GRAY8 };
	UNIT_EQ(dmabuf_peripheral_configure(&camera, &f), DMABUF_EDOM);
	UNIT_ASSERT(message_has("format") && message_has("GRAY8"));
	f = (struct dmabuf_frame_format){ 65, 48, DMABUF_PIXEL_YUYV };
	UNIT_EQ(dmabuf_peripheral_configure(&camera, &f), DMABUF_EDOM);
	UNIT_ASSERT(message_has("width"));
	f = (struct dmabuf_frame_format){ 64, 49, DMABUF_PIXEL_YUYV };
	UNIT_EQ(dmabuf_peripheral_configure(&camera, &f), DMABUF_EDOM);
	UNIT_ASSERT(message_has("height"));
	f = (struct dmabuf_frame_format){ 0, 48, DMABUF_PIXEL_YUYV };
	UNIT_EQ(dmabuf_peripheral_configure(&camera, &f), DMABUF_EINVAL);
	f = (struct dmabuf_frame_format){ 8, 8, DMABUF_PIXEL_FORMAT_END };
	UNIT_EQ(dmabuf_peripheral_configure(&camera, &f), DMABUF_EINVAL);
	UNIT_EQ(seen.configures, 0);
	UNIT_ASSERT(!camera.configured);

	f = (struct dmabuf_frame_format){ 64, 48, DMABUF_PIXEL_YUYV };
	UNIT_EQ(dmabuf_peripheral_configure(&camera, &f), 0);
	UNIT_EQ(seen.configures, 1);
	UNIT_EQ(seen.format.width, 64);
	UNIT_EQ(seen.format.format, DMABUF_PIXEL_YUYV);
	UNIT_EQ(dmabuf_peripheral_frame_bytes(&camera), 64 * 48 * 2);
}

static void jobs_wait_for_configure_and_check_direction_and_frame_size(void)
{
	set_up();
	dmabuf_fence_t fence = 0;
	UNIT_EQ(dmabuf_peripheral_register(&registry, &camera), 0);
	UNIT_EQ(dmabuf_peripheral_register(&registry, &display), 0);
	struct dmabuf_mapping from = mapping(32 * 16 * 2, DMABUF_FROM_DEVICE);
	UNIT_EQ(dmabuf_camera_capture(&camera, &from, &fence), DMABUF_EPERM);

	struct dmabuf_frame_format f = { 32, 16, DMABUF_PIXEL_RGB565_BE };
	UNIT_EQ(dmabuf_peripheral_configure(&camera, &f), 0);
	struct dmabuf_mapping to = mapping(32 * 16 * 2, DMABUF_TO_DEVICE);
	UNIT_EQ(dmabuf_camera_capture(&camera, &to, &fence), DMABUF_EINVAL);
	UNIT_ASSERT(message_has("direction"));
	struct dmabuf_mapping short_frame = mapping(32 * 16 * 2 - 2, DMABUF_FROM_DEVICE);
	UNIT_EQ(dmabuf_camera_capture(&camera, &short_frame, &fence), DMABUF_EDOM);
	UNIT_ASSERT(message_has("frame"));
	UNIT_EQ(dmabuf_display_present(&camera, &to, &fence), DMABUF_EINVAL);
	UNIT_EQ(seen.jobs, 0);
	UNIT_EQ(dmabuf_camera_capture(&camera, &from, &fence), 0);
	UNIT_EQ(fence, 77);
	UNIT_EQ(seen.mapping.length, from.length);

	/* The display's panel larger than the frame: refused, the constraint named. */
	f = (struct dmabuf_frame_format){ 32, 32, DMABUF_PIXEL_RGB565_LE };
	UNIT_EQ(dmabuf_peripheral_configure(&display, &f), 0);
	UNIT_EQ(dmabuf_display_present(&display, &to, &fence), DMABUF_EDOM);
	UNIT_ASSERT(message_has("frame"));
	UNIT_EQ(seen.jobs, 1);
	struct dmabuf_mapping whole = mapping(32 * 32 * 2, DMABUF_BIDIRECTIONAL);
	UNIT_EQ(dmabuf_display_present(&display, &whole, &fence), 0);
	UNIT_EQ(seen.jobs, 2);
}

static void spi_window_must_lie_in_gram_and_its_rows_in_the_frame(void)
{
	set_up();
	dmabuf_fence_t fence = 0;
	UNIT_EQ(dmabuf_peripheral_register(&registry, &panel), 0);
	struct dmabuf_frame_format f = { 0, 0, DMABUF_PIXEL_RGB565_BE };
	UNIT_EQ(dmabuf_peripheral_configure(&panel, &f), 0);
	/* A 64-pixel-wide frame, 20 rows: 2560 bytes. */
	struct dmabuf_mapping frame = mapping(64 * 2 * 20, DMABUF_TO_DEVICE);
	struct dmabuf_rect w = { 30, 0, 11, 10 };
	UNIT_EQ(dmabuf_spi_panel_write(&panel, &frame, 0, 128, &w, &fence), DMABUF_ERANGE);
	UNIT_ASSERT(message_has("GRAM"));
	w = (struct dmabuf_rect){ 0, 25, 10, 6 };
	UNIT_EQ(dmabuf_spi_panel_write(&panel, &frame, 0, 128, &w, &fence), DMABUF_ERANGE);
	w = (struct dmabuf_rect){ 0, 0, 0, 6 };
	UNIT_EQ(dmabuf_spi_panel_write(&panel, &frame, 0, 128, &w, &fence), DMABUF_EINVAL);
	w = (struct dmabuf_rect){ 0, 0, 40, 10 };
	UNIT_EQ(dmabuf_spi_panel_write(&panel, &frame, 0, 78, &w, &fence), DMABUF_EINVAL);
	UNIT_ASSERT(message_has("stride"));
	/* 21 rows of a 20-row frame: the rectangle is larger than the frame. */
	w = (struct dmabuf_rect){ 0, 0, 40, 21 };
	UNIT_EQ(dmabuf_spi_panel_write(&panel, &frame, 0, 128, &w, &fence), DMABUF_EDOM);
	UNIT_ASSERT(message_has("frame"));
	/* The last row would end 2 bytes past the frame. */
	w = (struct dmabuf_rect){ 0, 10, 40, 20 };
	UNIT_EQ(dmabuf_spi_panel_write(&panel, &frame, 50, 128, &w, &fence), DMABUF_EDOM);
	UNIT_EQ(seen.jobs, 0);
	/* The last row ends exactly at the frame's end: accepted, passed on unchanged. */
	UNIT_EQ(dmabuf_spi_panel_write(&panel, &frame, 48, 128, &w, &fence), 0);
	UNIT_EQ(seen.jobs, 1);
	UNIT_EQ(seen.offset, 48);
	UNIT_EQ(seen.stride, 128);
	UNIT_EQ(seen.window.y, 10);
	UNIT_EQ(seen.window.height, 20);
}

static void pixel_formats_have_their_sizes_and_names(void)
{
	UNIT_EQ(dmabuf_pixel_bytes(DMABUF_PIXEL_RGB565_BE), 2);
	UNIT_EQ(dmabuf_pixel_bytes(DMABUF_PIXEL_RGB888), 3);
	UNIT_EQ(dmabuf_pixel_bytes(DMABUF_PIXEL_GRAY8), 1);
	UNIT_EQ(dmabuf_pixel_bytes(DMABUF_PIXEL_YUYV), 2);
	UNIT_EQ(dmabuf_pixel_bytes(DMABUF_PIXEL_FORMAT_END), 0);
	UNIT_EQ(strcmp(dmabuf_pixel_format_name(DMABUF_PIXEL_RGB565_LE), "RGB565_LE"), 0);
	UNIT_EQ(strcmp(dmabuf_pixel_format_name(99), "?"), 0);
}

const struct unit_suite suite_peripheral = UNIT_SUITE(peripheral,
	UNIT_TEST(register_checks_mandatory_ops_and_constraints_once),
	UNIT_TEST(configure_refuses_what_the_device_does_not_take_naming_it),
	UNIT_TEST(jobs_wait_for_configure_and_check_direction_and_frame_size),
	UNIT_TEST(spi_window_must_lie_in_gram_and_its_rows_in_the_frame),
	UNIT_TEST(pixel_formats_have_their_sizes_and_names));
