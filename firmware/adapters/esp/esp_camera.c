/*
 * esp_cam_ctlr camera behind the peripheral contract (esp_camera.h). The
 * front (core/peripheral.c) has checked that the mapping holds a frame and
 * that the camera's master writes it.
 */
#include "esp_camera.h"

#include "dmabuf/errors.h"
#include "dmabuf/os.h"

#define ESP_CAMERA_OF(peripheral) ((struct esp_camera *)(void *)(peripheral))

/* The capture's fence signalled: in the controller's ISR, irq lock held. */
static void on_captured(dmabuf_fence_t fence, int status, void *user)
{
	(void)status;
	struct esp_camera_capture *capture = user;
	dmabuf_peripheral_job_record(&capture->camera->job, fence, capture->start_us);
}

/* Give the hand-over's slots of finished captures back. Thread context. */
static void take_finished(struct esp_camera *camera)
{
	for (uint32_t i = 0; i < DMABUF_ESP_CAM_SLOTS; i++) {
		struct esp_camera_capture *capture = &camera->captures[i];
		if (!capture->fence || dmabuf_fence_status(camera->job.fences, capture->fence) == 0)
			continue;
		uint32_t received;
		/* paired with the queue in camera_capture; drops the hand-over's reference */
		(void)dmabuf_esp_cam_take(&camera->cam, &capture->frame, &received);
		capture->fence = 0;
	}
}

static int camera_configure(struct dmabuf_peripheral *peripheral, const struct dmabuf_frame_format *format)
{
	struct esp_camera *camera = ESP_CAMERA_OF(peripheral);
	/* The controller's frame size is fixed when the board creates it: a
	 * smaller buffer would never be filled (the driver puts such frames in
	 * its backup buffer). */
	if (format->width != peripheral->constraints.max_width || format->height != peripheral->constraints.max_height)
		return ADAPTER_FAIL(&camera->cam.report, DMABUF_EDOM,
				    "esp camera: the controller delivers frames of its own size only (max_width x max_height)");
	if (dmabuf_peripheral_same_format(peripheral, format))
		return 0;
	take_finished(camera);
	for (uint32_t i = 0; i < DMABUF_ESP_CAM_SLOTS; i++)
		if (camera->captures[i].fence)
			return DMABUF_EBUSY;
	return 0;
}

static int camera_capture(struct dmabuf_peripheral *peripheral, const struct dmabuf_mapping *mapping,
			  dmabuf_fence_t *done)
{
	struct esp_camera *camera = ESP_CAMERA_OF(peripheral);
	take_finished(camera);
	struct esp_camera_capture *capture = NULL;
	for (uint32_t i = 0; !capture && i < DMABUF_ESP_CAM_SLOTS; i++)
		if (!camera->captures[i].fence)
			capture = &camera->captures[i];
	if (!capture)
		return ADAPTER_FAIL(&camera->cam.report, DMABUF_EBUSY, "esp camera: every capture slot is queued");

	dmabuf_fence_t fence;
	int err = dmabuf_peripheral_job_fence(&camera->job, &fence);
	if (err)
		return err;
	/* The controller fills exactly one frame: the buffer is padded to cache lines. */
	capture->frame = dmabuf_mapping_range(mapping, 0, dmabuf_peripheral_frame_bytes(peripheral));
	capture->start_us = dmabuf_time_us();
	capture->camera = camera;
	/* Before the queue: the controller may finish the frame at once. */
	err = dmabuf_fence_add_callback(camera->job.fences, fence, &capture->recorded, on_captured, capture);
	if (!err) {
		err = dmabuf_esp_cam_queue(&camera->cam, &capture->frame, fence);
		if (err)
			(void)dmabuf_fence_remove_callback(camera->job.fences, fence, &capture->recorded);
	}
	if (err) {
		(void)dmabuf_fence_put(camera->job.fences, fence);
		return err;
	}
	capture->fence = fence;
	*done = fence;
	return 0;
}

static const struct dmabuf_peripheral_ops camera_ops = {
	.configure = camera_configure,
	.capture = camera_capture,
	.completion = dmabuf_peripheral_job_completion,
};

void esp_camera_init(struct esp_camera *camera, const char *name, const char *dma_master, uint32_t formats,
		     uint32_t width, uint32_t height)
{
	camera->peripheral = (struct dmabuf_peripheral){
		.name = name,
		.device = dma_master,
		.kind = DMABUF_PERIPHERAL_CAMERA,
		.constraints = { formats, width, height },
		.fixed_size = true,
		.ops = &camera_ops,
		.driver = &camera->job,
	};
}

void esp_camera_bind(struct esp_camera *camera, struct dmabuf_fence_pool *fences)
{
	dmabuf_peripheral_job_bind(&camera->job, fences);
	camera->cam.fences = fences;
	for (uint32_t i = 0; i < DMABUF_ESP_CAM_SLOTS; i++)
		camera->captures[i] = (struct esp_camera_capture){ .camera = camera };
}

int esp_camera_start(struct esp_camera *camera)
{
	return dmabuf_esp_cam_init(&camera->cam);
}
