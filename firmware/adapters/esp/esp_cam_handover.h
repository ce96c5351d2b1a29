/*
 * Hand DmaBuf buffers to an ESP-IDF camera controller (esp_driver_cam:
 * esp_cam_ctlr for MIPI-CSI on the ESP32-P4, DVP on the P4 / S3).
 *
 * A buffer mapped FROM_DEVICE (the map invalidated its lines, so no dirty
 * line can later be evicted over the camera's data) is queued with
 * esp_cam_ctlr_receive(); the controller fills it through its own DMA and
 * calls on_trans_finished from its ISR, where the frame's fence signals.
 * The consumer then unmaps (the core invalidates again, dropping lines the
 * CPU may have fetched speculatively) and opens a FROM_DEVICE CPU access.
 * DmaBuf buffers are cache-line aligned and padded, which is what the
 * controllers require of a receive buffer.
 *
 * The controller copies the transaction into its own queue, so completions
 * are matched back to buffers by address. No on_get_new_trans callback is
 * registered: the controller takes the next queued buffer by itself, and
 * with none queued it falls back to its own backup buffer (if configured)
 * or drops the frame.
 *
 * Call dmabuf_esp_cam_init before esp_cam_ctlr_enable (the controller
 * accepts callbacks only while disabled).
 *
 * Written against ESP-IDF >= 5.3; NOT COMPILED ON CI (compiled by hand for
 * esp32p4 against v5.5.4: docs/FIRMWARE-BUILDS.md). Needs the
 * esp_driver_cam component in the firmware.
 */
#ifndef DMABUF_ESP_CAM_HANDOVER_H
#define DMABUF_ESP_CAM_HANDOVER_H

#include <stdbool.h>
#include <stdint.h>

#include "esp_cam_ctlr.h"

#include "../adapter_report.h"
#include "dmabuf/fence.h"

/* Frames queued with the controller at once. */
#define DMABUF_ESP_CAM_SLOTS 4u

enum dmabuf_esp_cam_slot_state {
	DMABUF_ESP_CAM_FREE = 0,
	DMABUF_ESP_CAM_CLAIMED,  /* being filled in by dmabuf_esp_cam_queue */
	DMABUF_ESP_CAM_QUEUED,   /* handed to the controller, not yet finished */
	DMABUF_ESP_CAM_FINISHED  /* filled; waits for dmabuf_esp_cam_take */
};

struct dmabuf_esp_cam_slot {
	esp_cam_ctlr_trans_t trans;
	dmabuf_fence_t fence;
	enum dmabuf_esp_cam_slot_state state;
};

struct dmabuf_esp_cam {
	/* Set by the caller. */
	esp_cam_ctlr_handle_t controller;
	struct dmabuf_fence_pool *fences;
	struct dmabuf_adapter_report report;

	/* Private to esp_cam_handover.c, shared with the controller's ISR. */
	struct dmabuf_esp_cam_slot slots[DMABUF_ESP_CAM_SLOTS];
};

/* Register on_trans_finished. Thread context, controller disabled.
 * @retval 0; -EINVAL; -EIO ESP-IDF refused. */
int dmabuf_esp_cam_init(struct dmabuf_esp_cam *cam);

/*
 * Queue the buffer of @m (mapped FROM_DEVICE) for a frame; @done signals
 * when the controller has filled it. Thread context.
 * @retval 0; -EINVAL mapping not FROM_DEVICE; -EEXIST this buffer is
 *         already queued; -EBUSY every slot in use or the controller's
 *         queue is full; -EBADF @done.
 */
int dmabuf_esp_cam_queue(struct dmabuf_esp_cam *cam, const struct dmabuf_mapping *m, dmabuf_fence_t done);

/*
 * Take a filled buffer back: the bytes the controller received into it.
 * Thread context, after its fence signalled.
 * @retval 0 and *received set; -EBUSY still being filled; -ENOENT not queued.
 */
int dmabuf_esp_cam_take(struct dmabuf_esp_cam *cam, const struct dmabuf_mapping *m, uint32_t *received);

#endif /* DMABUF_ESP_CAM_HANDOVER_H */
