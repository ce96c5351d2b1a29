/*
 * Handle encoding and the FIFO slot pool (see handle.h).
 */
#include <string.h>

#include "handle.h"

enum dmabuf_handle_fault dmabuf_handle_decode(dmabuf_handle_t handle, enum dmabuf_handle_type type,
					      uint32_t slot_count, uint32_t *slot, uint16_t *generation)
{
	if (handle <= 0)
		return DMABUF_HANDLE_MALFORMED;
	uint32_t bits = (uint32_t)handle;
	uint32_t handle_type = bits >> 28;
	uint16_t handle_generation = (uint16_t)((bits >> 16) & DMABUF_HANDLE_GENERATION_MAX);
	if (handle_type == 0 || handle_generation == 0)
		return DMABUF_HANDLE_MALFORMED;
	if (handle_type != (uint32_t)type)
		return DMABUF_HANDLE_WRONG_TYPE;
	if ((bits & 0xFFFFu) >= slot_count)
		return DMABUF_HANDLE_OUT_OF_RANGE;
	*slot = bits & 0xFFFFu;
	*generation = handle_generation;
	return DMABUF_HANDLE_OK;
}

#ifdef DMABUF_DEBUG
const char *dmabuf_handle_fault_name(enum dmabuf_handle_fault fault)
{
	switch (fault) {
	case DMABUF_HANDLE_OK:
		return "ok";
	case DMABUF_HANDLE_MALFORMED:
		return "malformed";
	case DMABUF_HANDLE_WRONG_TYPE:
		return "wrong type";
	case DMABUF_HANDLE_OUT_OF_RANGE:
		return "forged";
	case DMABUF_HANDLE_STALE:
		return "stale";
	}
	return "?";
}
#endif

/* The link field lives inside the slot object; memcpy keeps it free of
 * alignment assumptions about @stride and @link_offset. */
static uint16_t link_get(const struct dmabuf_slot_pool *pool, uint16_t slot)
{
	uint16_t link;
	memcpy(&link, pool->slots + (size_t)slot * pool->stride + pool->link_offset, sizeof(link));
	return link;
}

static void link_set(struct dmabuf_slot_pool *pool, uint16_t slot, uint16_t link)
{
	memcpy(pool->slots + (size_t)slot * pool->stride + pool->link_offset, &link, sizeof(link));
}

void dmabuf_slot_pool_init(struct dmabuf_slot_pool *pool, void *slots, size_t stride,
			   size_t link_offset, uint32_t count)
{
	pool->slots = slots;
	pool->stride = stride;
	pool->link_offset = link_offset;
	pool->head = DMABUF_SLOT_NONE;
	pool->tail = DMABUF_SLOT_NONE;
	for (uint32_t slot = 0; slot < count; slot++)
		dmabuf_slot_pool_give(pool, (uint16_t)slot);
}

uint16_t dmabuf_slot_pool_take(struct dmabuf_slot_pool *pool)
{
	uint16_t slot = pool->head;
	if (slot == DMABUF_SLOT_NONE)
		return slot;
	pool->head = link_get(pool, slot);
	if (pool->head == DMABUF_SLOT_NONE)
		pool->tail = DMABUF_SLOT_NONE;
	return slot;
}

void dmabuf_slot_pool_give(struct dmabuf_slot_pool *pool, uint16_t slot)
{
	link_set(pool, slot, DMABUF_SLOT_NONE);
	if (pool->tail == DMABUF_SLOT_NONE)
		pool->head = slot;
	else
		link_set(pool, pool->tail, slot);
	pool->tail = slot;
}

uint16_t dmabuf_slot_pool_next(const struct dmabuf_slot_pool *pool, uint16_t slot)
{
	return link_get(pool, slot);
}
