/*
 * The camera model: a free-running sensor whose frames a DMA engine writes
 * into queued captures, and the picture it produces (peripherals.h).
 */
#include <stdlib.h>

#include "peripherals_internal.h"

struct sim_camera {
	struct sim_peripheral link; /* first: freed by sim_peripherals_destroy */
	struct sim_peripherals *peripherals;
	struct sim_camera_config config;
	uint32_t frame_bytes;
	struct sim_dma_engine *engine;
	uint32_t accepted;             /* seqno of the next capture's fence */
	struct sim_request *queue;     /* waiting for a frame start, in order */
	struct sim_request *queue_tail;
	struct sim_request *capturing; /* the request the DMA writes */
	uint64_t next_frame;           /* the first sensor frame that has not started */
	bool low_byte_first;
	struct sim_event frame_start;
	struct sim_camera_stats stats;
};

/* ---- the picture ------------------------------------------------------------- */

/* 0..255 -> 0..254 -> 0: a periodic ramp without the jump of a sawtooth, so
 * colour bands move smoothly. */
static uint32_t triangle(uint64_t phase)
{
	uint32_t p = (uint32_t)(phase & 255u);
	return p < 128u ? p * 2u : (255u - p) * 2u;
}

/* A 64-bit mix (splitmix64's finaliser): the per-pixel low-bit pattern. */
static uint64_t mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
	return z ^ (z >> 31);
}

uint16_t sim_camera_pixel(const struct sim_camera_config *config, uint32_t frame, uint32_t x,
			  uint32_t y)
{
	uint64_t seed = config->seed;
	uint64_t width = config->width, height = config->height;
	/* Coordinates scaled to 0..255, so every resolution shows the same picture. */
	uint64_t u = (uint64_t)x * 256u / width, v = (uint64_t)y * 256u / height;
	uint64_t phase_r = seed & 255u, phase_g = (seed >> 8) & 255u;
	uint64_t phase_b = (seed >> 16) & 255u, phase_ball = (seed >> 24) & 255u;

	uint32_t r = triangle(u + 3u * frame + phase_r) >> 3;
	uint32_t g = triangle(v + 2u * frame + phase_g) >> 2;
	uint32_t b = triangle((u + v) / 2u + 5u * frame + phase_b) >> 3;

	/* A ball bouncing between the edges, with a dark rim. */
	uint64_t radius = (width < height ? width : height) / 8u + 2u;
	if (width > 2u * radius && height > 2u * radius) {
		int64_t cx = (int64_t)(radius + triangle(7u * frame + phase_ball) * (width - 2u * radius) / 254u);
		int64_t cy = (int64_t)(radius +
				       triangle(5u * frame + 3u * phase_ball + 64u) * (height - 2u * radius) / 254u);
		int64_t dx = (int64_t)x - cx, dy = (int64_t)y - cy;
		uint64_t d2 = (uint64_t)(dx * dx + dy * dy);
		if (d2 <= radius * radius) {
			bool rim = d2 > (radius - 2u) * (radius - 2u);
			r = rim ? 2u : 31u;
			g = rim ? 4u : 40u + (uint32_t)(d2 * 23u / (radius * radius));
			b = rim ? 2u : 6u;
		}
	}

	/* Flip the lowest bit of each channel in a pattern unique to (seed,
	 * frame, pixel): invisible, but no run of pixels repeats across frames. */
	uint64_t noise = mix(seed ^ ((uint64_t)frame << 40) ^ ((uint64_t)y << 20) ^ x);
	return (uint16_t)(((r << 11) | (g << 5) | b) ^ (noise & 0x0821u));
}

void sim_camera_pattern(const struct sim_camera_config *config, uint32_t frame, uint32_t offset,
			uint8_t *out, uint32_t length)
{
	for (uint32_t i = 0; i < length;) {
		uint32_t at = offset + i;
		uint32_t pixel = at / SIM_PIXEL_BYTES;
		uint16_t value = sim_camera_pixel(config, frame, pixel % config->width, pixel / config->width);
		/* High byte first (peripherals.h, DOC: frames); a range may start
		 * or end in the middle of a pixel. */
		if (at % SIM_PIXEL_BYTES == 0) {
			out[i++] = (uint8_t)(value >> 8);
			if (i == length)
				break;
		}
		out[i++] = (uint8_t)value;
	}
}

/* ---- the sensor and its DMA ----------------------------------------------------- */

static void write_frame(void *user, uint32_t offset, uint8_t *data, uint32_t length)
{
	struct sim_camera *camera = user;
	uint32_t frame = camera->capturing->sequence;
	if (!camera->low_byte_first) {
		sim_camera_pattern(&camera->config, frame, offset, data, length);
		return;
	}
	/* Low byte first: byte i of the stream is the other half of its pixel
	 * in the pattern, wherever the DMA segments split the pixels. */
	for (uint32_t i = 0; i < length; i++)
		sim_camera_pattern(&camera->config, frame, (offset + i) ^ 1u, &data[i], 1);
}

void sim_camera_set_low_byte_first(struct sim_camera *camera, bool low_byte_first)
{
	camera->low_byte_first = low_byte_first;
}

static void schedule_frame_start(struct sim_camera *camera);

static void frame_captured(void *user)
{
	struct sim_camera *camera = user;
	struct sim_request *request = camera->capturing;
	camera->capturing = NULL;
	camera->stats.captured++;
	sim_request_complete(camera->peripherals, request, 0);
}

static void frame_start(struct sim_event *event)
{
	struct sim_camera *camera = sim_container_of(event, struct sim_camera, frame_start);
	uint64_t frame = event->when / camera->config.frame_period_ns;
	camera->next_frame = frame + 1u;

	if (sim_dma_busy(camera->engine)) {
		/* The previous frame is still being written: the sensor's
		 * FIFO overflows and this frame is lost. */
		camera->stats.missed++;
	} else {
		struct sim_request *request = camera->queue;
		camera->queue = request->next;
		if (!camera->queue)
			camera->queue_tail = NULL;
		camera->stats.queued--;
		request->sequence = (uint32_t)frame;
		camera->capturing = request;
		struct sim_dma_job job = {
			.direction = SIM_DMA_WRITE_BUS,
			.mapping = dmabuf_mapping_range(&request->mapping, 0, camera->frame_bytes),
			.source = write_frame,
			.complete = frame_captured,
			.user = camera,
		};
		sim_request_start(camera->peripherals, request);
		int err = sim_dma_submit(camera->engine, &job);
		if (err) {
			/* Checked at queue time; a failure here means the bus
			 * memory changed under the request. */
			camera->capturing = NULL;
			sim_request_complete(camera->peripherals, request, DMABUF_EIO);
		}
	}
	if (camera->queue)
		schedule_frame_start(camera);
}

static void schedule_frame_start(struct sim_camera *camera)
{
	uint64_t period = camera->config.frame_period_ns;
	uint64_t tick = sim_next_tick(sim_now(camera->peripherals->soc), period) / period;
	uint64_t frame = tick > camera->next_frame ? tick : camera->next_frame;
	sim_event_schedule(camera->peripherals, &camera->frame_start, frame * period, frame_start);
}

static void camera_free(struct sim_peripheral *device)
{
	free(sim_container_of(device, struct sim_camera, link));
}

int sim_camera_create(struct sim_peripherals *peripherals, const struct sim_camera_config *config,
		      struct sim_camera **out)
{
	if (!peripherals || !config || !out || config->width == 0 || config->height == 0 ||
	    config->frame_period_ns == 0 || config->bytes_per_us == 0 ||
	    (uint64_t)config->width * config->height * SIM_PIXEL_BYTES > UINT32_MAX) {
		sim_report("sim_camera_create: needs peripherals, a frame of 1 pixel to 4 GiB, a period and a rate");
		return DMABUF_EINVAL;
	}
	struct sim_camera *camera = calloc(1, sizeof(*camera));
	if (!camera)
		return DMABUF_ENOMEM;
	int err = sim_dma_engine_create(peripherals->soc, config->bytes_per_us, false, &camera->engine);
	if (err) {
		free(camera);
		return err;
	}
	camera->peripherals = peripherals;
	camera->config = *config;
	camera->frame_bytes = config->width * config->height * SIM_PIXEL_BYTES;
	sim_peripheral_add(peripherals, &camera->link, camera_free);
	*out = camera;
	return 0;
}

int sim_camera_queue(struct sim_camera *camera, const struct dmabuf_mapping *mapping,
		     struct sim_request *request)
{
	if (!camera || !mapping || !request) {
		sim_report("sim_camera_queue: needs a camera, a mapping and a request");
		return DMABUF_EINVAL;
	}
	if (!sim_mapping_device_writes(mapping)) {
		sim_report("sim_camera_queue: the camera writes: map FROM_DEVICE or BIDIRECTIONAL");
		return DMABUF_EINVAL;
	}
	if (mapping->length < camera->frame_bytes ||
	    !sim_bus(camera->peripherals->soc, mapping->dma_addr, camera->frame_bytes)) {
		sim_report("sim_camera_queue: mapping of %u bytes at 0x%08x cannot hold a %u-byte frame in bus memory",
			   mapping->length, mapping->dma_addr, camera->frame_bytes);
		return DMABUF_EINVAL;
	}
	int err = sim_request_accept(camera->peripherals, camera->link.timeline, camera->accepted, request);
	if (err)
		return err;
	camera->accepted++;
	request->mapping = *mapping;
	if (camera->queue_tail)
		camera->queue_tail->next = request;
	else
		camera->queue = request;
	camera->queue_tail = request;
	camera->stats.queued++;
	if (!camera->frame_start.pending)
		schedule_frame_start(camera);
	return 0;
}

void sim_camera_stats(const struct sim_camera *camera, struct sim_camera_stats *out)
{
	*out = camera->stats;
}
