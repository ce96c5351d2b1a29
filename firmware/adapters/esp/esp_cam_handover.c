/*
 * esp_cam_ctlr hand-over (ESP-IDF). Not compiled on CI.
 *
 * Slot states move FREE -> CLAIMED -> QUEUED -> FINISHED -> FREE; every
 * change happens under dmabuf_irq_lock, which the controller's ISR takes
 * too (on the dual-core S3 it is a spinlock across cores).
 */
#include "esp_cam_handover.h"

#include "esp_attr.h"

#include "dmabuf/errors.h"
#include "dmabuf/os.h"

static void *cpu_view(const struct dmabuf_mapping *m)
{
	/* Same address for CPU and DMA on the ESP32-S3/P4 (SRAM and mapped PSRAM). */
	return (void *)(uintptr_t)m->dma_addr;
}

/* The queued or finished slot of @buffer, or NULL. Irq lock held. */
static struct dmabuf_esp_cam_slot *slot_of(struct dmabuf_esp_cam *cam, const void *buffer)
{
	for (uint32_t i = 0; i < DMABUF_ESP_CAM_SLOTS; i++) {
		struct dmabuf_esp_cam_slot *slot = &cam->slots[i];
		if ((slot->state == DMABUF_ESP_CAM_QUEUED || slot->state == DMABUF_ESP_CAM_FINISHED) &&
		    slot->trans.buffer == buffer)
			return slot;
	}
	return NULL;
}

static void set_state(struct dmabuf_esp_cam_slot *slot, enum dmabuf_esp_cam_slot_state state)
{
	dmabuf_irq_key_t key = dmabuf_irq_lock();
	slot->state = state;
	dmabuf_irq_unlock(key);
}

/* Controller ISR: @trans is the controller's copy; its buffer names ours. */
static bool IRAM_ATTR on_finished(esp_cam_ctlr_handle_t controller, esp_cam_ctlr_trans_t *trans, void *user)
{
	(void)controller;
	struct dmabuf_esp_cam *cam = user;
	dmabuf_fence_t fence = 0;
	dmabuf_irq_key_t key = dmabuf_irq_lock();
	struct dmabuf_esp_cam_slot *slot = slot_of(cam, trans->buffer);
	if (slot && slot->state == DMABUF_ESP_CAM_QUEUED) {
		slot->trans.received_size = trans->received_size;
		slot->state = DMABUF_ESP_CAM_FINISHED;
		fence = slot->fence;
	}
	dmabuf_irq_unlock(key);
	/* A frame that went into the controller's backup buffer is not ours. */
	if (fence)
		dmabuf_fence_signal(cam->fences, fence);
	return false;
}

int dmabuf_esp_cam_init(struct dmabuf_esp_cam *cam)
{
	if (!cam || !cam->controller || !cam->fences)
		return DMABUF_EINVAL;
	for (uint32_t i = 0; i < DMABUF_ESP_CAM_SLOTS; i++)
		cam->slots[i] = (struct dmabuf_esp_cam_slot){ .state = DMABUF_ESP_CAM_FREE };
	const esp_cam_ctlr_evt_cbs_t cbs = { .on_get_new_trans = NULL, .on_trans_finished = on_finished };
	if (esp_cam_ctlr_register_event_callbacks(cam->controller, &cbs, cam) != ESP_OK)
		return ADAPTER_FAIL(&cam->report, DMABUF_EIO,
				    "esp cam: ESP-IDF refused the callbacks (register before esp_cam_ctlr_enable)");
	return 0;
}

int dmabuf_esp_cam_queue(struct dmabuf_esp_cam *cam, const struct dmabuf_mapping *m, dmabuf_fence_t done)
{
	if (!cam || !cam->controller)
		return DMABUF_EINVAL;
	const struct dmabuf_adapter_report *report = &cam->report;
	if (!m || !m->length || !(m->direction & DMABUF_FROM_DEVICE))
		return ADAPTER_FAIL(report, DMABUF_EINVAL, "esp cam: the mapping must be FROM_DEVICE (the camera writes)");

	struct dmabuf_esp_cam_slot *slot = NULL;
	dmabuf_irq_key_t key = dmabuf_irq_lock();
	bool queued_already = slot_of(cam, cpu_view(m)) != NULL;
	for (uint32_t i = 0; !queued_already && !slot && i < DMABUF_ESP_CAM_SLOTS; i++)
		if (cam->slots[i].state == DMABUF_ESP_CAM_FREE)
			slot = &cam->slots[i];
	if (slot)
		slot->state = DMABUF_ESP_CAM_CLAIMED;
	dmabuf_irq_unlock(key);
	if (queued_already)
		return ADAPTER_FAIL(report, DMABUF_EEXIST, "esp cam: this buffer is already queued");
	if (!slot)
		return ADAPTER_FAIL(report, DMABUF_EBUSY, "esp cam: every slot is in use");

	int err = dmabuf_fence_get(cam->fences, done); /* paired with the put in take */
	if (err) {
		set_state(slot, DMABUF_ESP_CAM_FREE);
		return err;
	}
	slot->fence = done;
	slot->trans = (esp_cam_ctlr_trans_t){ .buffer = cpu_view(m), .buflen = m->length, .received_size = 0 };
	/* Queued before the controller can possibly finish it. */
	set_state(slot, DMABUF_ESP_CAM_QUEUED);
	/* Timeout 0: a full controller queue is back-pressure for the caller,
	 * not a reason to block the CLR thread. */
	if (esp_cam_ctlr_receive(cam->controller, &slot->trans, 0) != ESP_OK) {
		set_state(slot, DMABUF_ESP_CAM_FREE);
		dmabuf_fence_put(cam->fences, done);
		return ADAPTER_FAIL(report, DMABUF_EBUSY, "esp cam: the controller's queue is full");
	}
	return 0;
}

int dmabuf_esp_cam_take(struct dmabuf_esp_cam *cam, const struct dmabuf_mapping *m, uint32_t *received)
{
	if (!cam || !m || !received)
		return DMABUF_EINVAL;
	dmabuf_fence_t fence = 0;
	dmabuf_irq_key_t key = dmabuf_irq_lock();
	struct dmabuf_esp_cam_slot *slot = slot_of(cam, cpu_view(m));
	int err = !slot ? DMABUF_ENOENT : slot->state == DMABUF_ESP_CAM_QUEUED ? DMABUF_EBUSY : 0;
	if (!err) {
		*received = (uint32_t)slot->trans.received_size;
		fence = slot->fence;
		slot->state = DMABUF_ESP_CAM_FREE;
	}
	dmabuf_irq_unlock(key);
	if (fence)
		dmabuf_fence_put(cam->fences, fence); /* paired with the get in queue */
	return err;
}
