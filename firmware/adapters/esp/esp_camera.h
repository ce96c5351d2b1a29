/*
 * An ESP-IDF camera controller (esp_cam_ctlr: MIPI-CSI on the ESP32-P4,
 * DVP on the P4 / S3) behind the peripheral contract (dmabuf/peripheral.h),
 * so that the managed Camera drives it.
 *
 * A capture queues the frame's part of the mapping with the esp_cam_ctlr
 * hand-over (esp_cam_handover.h: esp_cam_ctlr_receive, matched back to the
 * buffer in on_trans_finished, where the capture's fence signals). Captures
 * are served in queue order, up to DMABUF_ESP_CAM_SLOTS at once; a finished
 * capture's slot is taken back from the hand-over at the next capture or
 * configure. Each capture's fence carries a callback (run where it
 * signals, in the controller's ISR) that records its completion: sequence
 * = captures finished before it, start_us = when it was queued (the
 * controller does not say when its DMA began on that buffer), timestamp_us
 * = the signal.
 *
 * The controller's frame size is fixed when the board creates it
 * (h_res x v_res): the camera is configured for exactly that size, any
 * other is -EDOM (a DmaConstraintException in C#).
 *
 * Not checked: a frame shorter than the buffer (the controller's
 * received_size) still signals success, as the hand-over does.
 *
 * Board side: create the controller (esp_cam_new_csi_ctlr / _dvp_ctlr) and
 * set the sensor up, fill in cam.controller and cam.report, bind the fence
 * pool (esp_camera_bind), esp_camera_start, then esp_cam_ctlr_enable and
 * esp_cam_ctlr_start, register. After a soft reboot (a new fence pool):
 * esp_cam_ctlr_stop and _disable, bind, start (which empties the
 * hand-over's slots), enable and start again.
 *
 * Written against ESP-IDF v5.5 (esp_driver_cam); tested on the host against
 * our own declarations of the calls it makes (tests/native/host); compiled
 * for esp32p4 against ESP-IDF v5.5.4 outside CI (docs/FIRMWARE-BUILDS.md).
 */
#ifndef DMABUF_ESP_CAMERA_H
#define DMABUF_ESP_CAMERA_H

#include <stdbool.h>
#include <stdint.h>

#include "esp_cam_handover.h"
#include "../peripheral_job.h"

struct esp_camera;

/* One capture queued with the hand-over. */
struct esp_camera_capture {
	struct esp_camera *camera;
	dmabuf_fence_t fence;        /* 0: the slot is free */
	struct dmabuf_mapping frame; /* the part of the mapping the controller fills */
	struct dmabuf_fence_cb recorded;
	uint64_t start_us;
};

struct esp_camera {
	struct dmabuf_peripheral peripheral; /* first: the ops find the camera from it */
	struct dmabuf_esp_cam cam;           /* the board sets controller and report (the camera's messages too) */
	struct dmabuf_peripheral_job job;
	struct esp_camera_capture captures[DMABUF_ESP_CAM_SLOTS];
};

/*
 * Fill @camera->peripheral as @name over the board device @dma_master
 * ("mipi-csi" on the ESP32-P4): frames in the pixel formats of @formats
 * (1u << format each: what the controller's output and byte_swap_en
 * produce) of exactly @width x @height, the controller's h_res x v_res.
 */
void esp_camera_init(struct esp_camera *camera, const char *name, const char *dma_master, uint32_t formats,
		     uint32_t width, uint32_t height);

/* Take fences from @fences (at start-up, and after a soft reboot): every
 * capture is forgotten. Thread context, the controller stopped. */
void esp_camera_bind(struct esp_camera *camera, struct dmabuf_fence_pool *fences);

/* The hand-over's on_trans_finished. Thread context, once, controller
 * disabled. @retval as dmabuf_esp_cam_init. */
int esp_camera_start(struct esp_camera *camera);

#endif /* DMABUF_ESP_CAMERA_H */
