/*
 * The front of the peripheral contract (dmabuf/peripheral.h): registration
 * checks a back end once; every job is checked against the constraints the
 * device stated before its back end sees it, so a back end only ever gets
 * what it said it can serve.
 */
#include "dmabuf/peripheral.h"

#include <string.h>

#include "internal.h"

#ifdef DMABUF_DEBUG
/* For the messages only, which release builds compile out. */
static const char *const kind_names[] = { "?", "camera", "display", "SPI panel" };
#endif

/* Bits 1 .. FORMAT_END - 1: format 0 is none. */
#define KNOWN_FORMATS (((1u << DMABUF_PIXEL_FORMAT_END) - 1u) & ~1u)

static bool kind_known(uint32_t kind)
{
	return kind >= DMABUF_PERIPHERAL_CAMERA && kind <= DMABUF_PERIPHERAL_SPI_PANEL;
}

/* Whether the op the peripheral's kind cannot do without is there. */
static bool has_job_op(const struct dmabuf_peripheral *p)
{
	switch (p->kind) {
	case DMABUF_PERIPHERAL_CAMERA:
		return p->ops->capture != NULL;
	case DMABUF_PERIPHERAL_DISPLAY:
		return p->ops->present != NULL;
	default:
		return p->ops->write_rect != NULL;
	}
}

int dmabuf_peripheral_register(struct dmabuf_peripheral_registry *registry, struct dmabuf_peripheral *p)
{
	if (!registry)
		return DMABUF_REFUSE_OBJECT(NULL, "dmabuf_peripheral_register", "registry");
	if (!p)
		return DMABUF_FAIL(registry, DMABUF_EINVAL, "dmabuf_peripheral_register: peripheral: NULL");
	if (!p->name || !p->device)
		return DMABUF_FAIL(registry, DMABUF_EINVAL, "dmabuf_peripheral_register: name: a peripheral needs a name and a DMA master");
	if (!kind_known(p->kind))
		return DMABUF_FAIL(registry, DMABUF_EINVAL, "dmabuf_peripheral_register: kind: '%s' has unknown kind %u", p->name, p->kind);
	if (!p->ops || !p->ops->configure || !has_job_op(p))
		return DMABUF_FAIL(registry, DMABUF_EINVAL, "dmabuf_peripheral_register: ops: %s '%s' lacks a mandatory op (configure, %s)",
				   kind_names[p->kind], p->name,
				   p->kind == DMABUF_PERIPHERAL_CAMERA ? "capture" :
				   p->kind == DMABUF_PERIPHERAL_DISPLAY ? "present" : "write_rect");
	if (!p->constraints.formats || (p->constraints.formats & ~KNOWN_FORMATS))
		return DMABUF_FAIL(registry, DMABUF_EINVAL, "dmabuf_peripheral_register: formats: '%s' states formats 0x%x", p->name,
				   p->constraints.formats);
	if (!p->constraints.max_width || !p->constraints.max_height)
		return DMABUF_FAIL(registry, DMABUF_EINVAL, "dmabuf_peripheral_register: size: '%s' states no frame size", p->name);
	for (uint32_t i = 0; i < registry->count; i++)
		if (strcmp(registry->peripherals[i]->name, p->name) == 0)
			return DMABUF_FAIL(registry, DMABUF_EEXIST, "dmabuf_peripheral_register: name: '%s' is registered already", p->name);
	if (registry->count == DMABUF_PERIPHERAL_MAX)
		return DMABUF_FAIL(registry, DMABUF_ENOMEM, "dmabuf_peripheral_register: pool: the registry is full");
	p->configured = false;
	p->report = registry->report;
	p->report_user = registry->report_user;
	registry->peripherals[registry->count++] = p;
	return 0;
}

struct dmabuf_peripheral *dmabuf_peripheral_find(const struct dmabuf_peripheral_registry *registry,
						 const char *name, uint32_t kind)
{
	if (!registry)
		return (void)DMABUF_REFUSE_OBJECT(NULL, "dmabuf_peripheral_find", "registry"), NULL;
	if (!name)
		return (void)DMABUF_FAIL(registry, DMABUF_EINVAL, "dmabuf_peripheral_find: name: NULL"), NULL;
	for (uint32_t i = 0; i < registry->count; i++) {
		struct dmabuf_peripheral *p = registry->peripherals[i];
		if (strcmp(p->name, name) == 0 && (kind == 0 || p->kind == kind))
			return p;
	}
	return NULL;
}

int dmabuf_peripheral_open(struct dmabuf_peripheral_registry *registry, const char *name, uint32_t kind,
			   const struct dmabuf_frame_format *format)
{
	if (!registry)
		return DMABUF_REFUSE_OBJECT(NULL, "dmabuf_peripheral_open", "registry");
	if (!name || !format)
		return DMABUF_FAIL(registry, DMABUF_EINVAL, "dmabuf_peripheral_open: %s: NULL", !name ? "name" : "format");
	for (uint32_t i = 0; i < registry->count; i++) {
		struct dmabuf_peripheral *p = registry->peripherals[i];
		if (strcmp(p->name, name) == 0 && (kind == 0 || p->kind == kind)) {
			int err = dmabuf_peripheral_configure(p, format);
			return err ? err : (int)i + 1;
		}
	}
	return DMABUF_FAIL(registry, DMABUF_ENOENT, "dmabuf_peripheral_open: name: no %s named '%s' on this board",
			   kind ? kind_names[kind <= DMABUF_PERIPHERAL_SPI_PANEL ? kind : 0] : "peripheral", name);
}

struct dmabuf_peripheral *dmabuf_peripheral_at(const struct dmabuf_peripheral_registry *registry, int32_t id)
{
	if (!registry)
		return (void)DMABUF_REFUSE_OBJECT(NULL, "dmabuf_peripheral_at", "registry"), NULL;
	if (id <= 0 || (uint32_t)id > registry->count)
		return NULL;
	return registry->peripherals[id - 1];
}

int dmabuf_peripheral_configure(struct dmabuf_peripheral *p, const struct dmabuf_frame_format *format)
{
	if (!p)
		return DMABUF_REFUSE_OBJECT(NULL, "dmabuf_peripheral_configure", "peripheral");
	if (!format)
		return DMABUF_FAIL(p, DMABUF_EINVAL, "dmabuf_peripheral_configure: format: NULL");
	const struct dmabuf_peripheral_constraints *c = &p->constraints;
	bool sized = p->kind != DMABUF_PERIPHERAL_SPI_PANEL;
	if (dmabuf_pixel_bytes(format->format) == 0)
		return DMABUF_FAIL(p, DMABUF_EINVAL, "dmabuf_peripheral_configure: format: %u is no pixel format", format->format);
	if (sized && (!format->width || !format->height))
		return DMABUF_FAIL(p, DMABUF_EINVAL, "dmabuf_peripheral_configure: size: a %s frame needs a width and a height",
				   kind_names[p->kind]);
	if (!(c->formats & (1u << format->format)))
		return DMABUF_FAIL(p, DMABUF_EDOM, "dmabuf_peripheral_configure: format: %s '%s' does not take %s",
				   kind_names[p->kind], p->name, dmabuf_pixel_format_name(format->format));
	if (sized && format->width > c->max_width)
		return DMABUF_FAIL(p, DMABUF_EDOM, "dmabuf_peripheral_configure: width: %s '%s' serves at most %u pixels, not %u",
				   kind_names[p->kind], p->name, c->max_width, format->width);
	if (sized && format->height > c->max_height)
		return DMABUF_FAIL(p, DMABUF_EDOM, "dmabuf_peripheral_configure: height: %s '%s' serves at most %u rows, not %u",
				   kind_names[p->kind], p->name, c->max_height, format->height);
	struct dmabuf_frame_format wanted = { sized ? format->width : 0u, sized ? format->height : 0u, format->format };
	int err = p->ops->configure(p, &wanted);
	if (err)
		return DMABUF_FAIL(p, err, "dmabuf_peripheral_configure: back end: '%s' refused (%s)", p->name, dmabuf_strerror(err));
	p->format = wanted;
	p->configured = true;
	return 0;
}

uint32_t dmabuf_peripheral_frame_bytes(const struct dmabuf_peripheral *p)
{
	if (!p)
		return (void)DMABUF_REFUSE_OBJECT(NULL, "dmabuf_peripheral_frame_bytes", "peripheral"), 0u;
	if (!p->configured)
		return 0;
	/* The constraints bound width and height, so the product is checked once
	 * here rather than trusted: 4 GiB frames do not exist on these devices. */
	uint64_t bytes = (uint64_t)p->format.width * p->format.height * dmabuf_pixel_bytes(p->format.format);
	return bytes > UINT32_MAX ? 0u : (uint32_t)bytes;
}

void dmabuf_peripheral_info(const struct dmabuf_peripheral *p, int32_t values[DMABUF_PERIPHERAL_INFO_VALUES])
{
	if (!p) {
		(void)DMABUF_REFUSE_OBJECT(NULL, "dmabuf_peripheral_info", "peripheral");
		return;
	}
	if (!values) {
		(void)DMABUF_FAIL(p, DMABUF_EINVAL, "dmabuf_peripheral_info: values: NULL");
		return;
	}
	values[0] = (int32_t)p->kind;
	values[1] = (int32_t)p->constraints.formats;
	values[2] = (int32_t)p->constraints.max_width;
	values[3] = (int32_t)p->constraints.max_height;
	values[4] = (int32_t)p->format.width;
	values[5] = (int32_t)p->format.height;
	values[6] = (int32_t)p->format.format;
	values[7] = (int32_t)dmabuf_peripheral_frame_bytes(p);
}

static bool device_writes(const struct dmabuf_mapping *m)
{
	return m->direction == DMABUF_FROM_DEVICE || m->direction == DMABUF_BIDIRECTIONAL;
}

static bool device_reads(const struct dmabuf_mapping *m)
{
	return m->direction == DMABUF_TO_DEVICE || m->direction == DMABUF_BIDIRECTIONAL;
}

/* The checks every job starts with; 0 or the error to return. @out_name
 * names the job's fence parameter. */
static int job_check(struct dmabuf_peripheral *p, uint32_t kind, const struct dmabuf_mapping *m, const void *out,
		     const char *function, const char *out_name)
{
	(void)function; /* named in debug messages only */
	(void)out_name;
	if (!p)
		return DMABUF_REFUSE_OBJECT(NULL, function, kind == DMABUF_PERIPHERAL_CAMERA ? "camera" :
							    kind == DMABUF_PERIPHERAL_DISPLAY ? "display" : "panel");
	if (!m || !out)
		return DMABUF_FAIL(p, DMABUF_EINVAL, "%s: %s: NULL", function, !m ? "mapping" : out_name);
	if (p->kind != kind)
		return DMABUF_FAIL(p, DMABUF_EINVAL, "%s: kind: '%s' is a %s", function, p->name, kind_names[p->kind]);
	if (!p->configured)
		return DMABUF_FAIL(p, DMABUF_EPERM, "%s: state: '%s' is not configured", function, p->name);
	bool writes = kind == DMABUF_PERIPHERAL_CAMERA;
	if (writes ? !device_writes(m) : !device_reads(m))
		return DMABUF_FAIL(p, DMABUF_EINVAL, "%s: direction: '%s' %s the frame, the mapping does not let it", function,
				   p->name, writes ? "writes" : "reads");
	return 0;
}

/* A camera's or display's frame must fit the mapping: -EDOM otherwise. */
static int whole_frame_check(struct dmabuf_peripheral *p, const struct dmabuf_mapping *m, const char *function)
{
	(void)function;
	uint32_t bytes = dmabuf_peripheral_frame_bytes(p);
	if (m->length < bytes)
		return DMABUF_FAIL(p, DMABUF_EDOM, "%s: frame: %s '%s' moves %ux%u %s (%u bytes), the frame has %u", function,
				   kind_names[p->kind], p->name, p->format.width, p->format.height,
				   dmabuf_pixel_format_name(p->format.format), bytes, m->length);
	return 0;
}

int dmabuf_camera_capture(struct dmabuf_peripheral *camera, const struct dmabuf_mapping *mapping, dmabuf_fence_t *done)
{
	int err = job_check(camera, DMABUF_PERIPHERAL_CAMERA, mapping, done, "dmabuf_camera_capture", "done");
	if (!err)
		err = whole_frame_check(camera, mapping, "dmabuf_camera_capture");
	return err ? err : camera->ops->capture(camera, mapping, done);
}

int dmabuf_display_present(struct dmabuf_peripheral *display, const struct dmabuf_mapping *mapping,
			   dmabuf_fence_t *released)
{
	int err = job_check(display, DMABUF_PERIPHERAL_DISPLAY, mapping, released, "dmabuf_display_present", "released");
	if (!err)
		err = whole_frame_check(display, mapping, "dmabuf_display_present");
	return err ? err : display->ops->present(display, mapping, released);
}

int dmabuf_spi_panel_write(struct dmabuf_peripheral *panel, const struct dmabuf_mapping *mapping, uint32_t offset,
			   uint32_t stride, const struct dmabuf_rect *w, dmabuf_fence_t *done)
{
	if (panel && !w)
		return DMABUF_FAIL(panel, DMABUF_EINVAL, "dmabuf_spi_panel_write: window: NULL");
	int err = job_check(panel, DMABUF_PERIPHERAL_SPI_PANEL, mapping, done, "dmabuf_spi_panel_write", "done");
	if (err)
		return err;
	uint32_t pixel = dmabuf_pixel_bytes(panel->format.format);
	const struct dmabuf_peripheral_constraints *c = &panel->constraints;
	if (!w->width || !w->height)
		return DMABUF_FAIL(panel, DMABUF_EINVAL, "dmabuf_spi_panel_write: window: empty");
	if (w->x >= c->max_width || w->width > c->max_width - w->x || w->y >= c->max_height ||
	    w->height > c->max_height - w->y)
		return DMABUF_FAIL(panel, DMABUF_ERANGE, "dmabuf_spi_panel_write: window: %u,%u %ux%u is not inside the %ux%u GRAM of '%s'",
				   w->x, w->y, w->width, w->height, c->max_width, c->max_height, panel->name);
	uint64_t row = (uint64_t)w->width * pixel;
	if (stride < row)
		return DMABUF_FAIL(panel, DMABUF_EINVAL, "dmabuf_spi_panel_write: stride: %u bytes is shorter than a row of %u",
				   stride, (uint32_t)row);
	uint64_t end = (uint64_t)offset + (uint64_t)(w->height - 1u) * stride + row;
	if (end > mapping->length)
		return DMABUF_FAIL(panel, DMABUF_EDOM, "dmabuf_spi_panel_write: frame: the %ux%u rectangle at byte %u (stride %u) runs past the %u-byte frame",
				   w->width, w->height, offset, stride, mapping->length);
	return panel->ops->write_rect(panel, mapping, offset, stride, w, done);
}

int dmabuf_spi_panel_command(struct dmabuf_peripheral *panel, uint32_t command, const uint8_t *parameters,
			     uint32_t count, dmabuf_fence_t *done)
{
	if (!panel)
		return DMABUF_REFUSE_OBJECT(NULL, "dmabuf_spi_panel_command", "panel");
	if (!done || (count && !parameters))
		return DMABUF_FAIL(panel, DMABUF_EINVAL, "dmabuf_spi_panel_command: %s: NULL", !done ? "done" : "parameters");
	if (panel->kind != DMABUF_PERIPHERAL_SPI_PANEL)
		return DMABUF_FAIL(panel, DMABUF_EINVAL, "dmabuf_spi_panel_command: kind: '%s' is a %s", panel->name,
				   kind_names[panel->kind]);
	if (!panel->configured)
		return DMABUF_FAIL(panel, DMABUF_EPERM, "dmabuf_spi_panel_command: state: '%s' is not configured", panel->name);
	if (command > 0xFFu || count > DMABUF_SPI_PANEL_COMMAND_PARAMETERS_MAX)
		return DMABUF_FAIL(panel, DMABUF_EINVAL, "dmabuf_spi_panel_command: command: 0x%x with %u parameters (at most 0xFF and %u)",
				   command, count, DMABUF_SPI_PANEL_COMMAND_PARAMETERS_MAX);
	if (!panel->ops->command)
		return DMABUF_FAIL(panel, DMABUF_ENOTSUP, "dmabuf_spi_panel_command: back end: '%s' sends no commands", panel->name);
	return panel->ops->command(panel, command, parameters, count, done);
}

int dmabuf_peripheral_completion(struct dmabuf_peripheral *p, dmabuf_fence_t done, struct dmabuf_completion *out)
{
	if (!p)
		return DMABUF_REFUSE_OBJECT(NULL, "dmabuf_peripheral_completion", "peripheral");
	if (!out)
		return DMABUF_FAIL(p, DMABUF_EINVAL, "dmabuf_peripheral_completion: out: NULL");
	if (!p->ops->completion)
		return DMABUF_ENOTSUP;
	return p->ops->completion(p, done, out);
}

struct dmabuf_mapping dmabuf_mapping_range(const struct dmabuf_mapping *mapping, uint32_t offset, uint32_t length)
{
	if (!mapping)
		return (void)DMABUF_REFUSE_OBJECT(NULL, "dmabuf_mapping_range", "mapping"), (struct dmabuf_mapping){ 0 };
	uint32_t piece = mapping->segment_bytes < length ? mapping->segment_bytes : length;
	struct dmabuf_mapping range = {
		.dma_addr = mapping->dma_addr + offset,
		.length = length,
		.segment_bytes = piece,
		.segment_count = (length + piece - 1u) / piece,
		.direction = mapping->direction,
	};
	return range;
}
