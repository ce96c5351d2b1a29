/*
 * Handles: generation-checked integers standing for core objects (the fd of
 * dma-buf), and the FIFO slot pool their objects live in.
 *
 * DOC: handle encoding
 *
 *   bit 31     0 (handles are positive int32, so 0 and negatives are never valid)
 *   bits 28-30 type (enum dmabuf_handle_type; 0 is never used)
 *   bits 16-27 generation of the slot, 1..4095, never 0
 *   bits 0-15  slot index in the pool of that type
 *
 * A slot's generation moves on each time its object dies, so a handle kept
 * after put/detach (stale) no longer matches. Free slots are reused in FIFO
 * order: a slot's generation wraps (and an ancient handle could match again)
 * only after every other free slot was reused 4095 times.
 *
 * The layer that owns a type decodes with dmabuf_handle_decode(), then checks
 * that its slot is live and carries the decoded generation. Fences and queues
 * (another layer) reuse this encoding with their own type values.
 */
#ifndef DMABUF_CORE_HANDLE_H
#define DMABUF_CORE_HANDLE_H

#include <stddef.h>
#include <stdint.h>

#include "dmabuf/dmabuf.h"

/* KEEP IN SYNC with every layer that mints handles; 3 bits, 0 unused. */
enum dmabuf_handle_type {
	DMABUF_HANDLE_BUFFER = 1,
	DMABUF_HANDLE_ATTACHMENT = 2,
	DMABUF_HANDLE_FENCE = 3,
	DMABUF_HANDLE_QUEUE = 4
};

#define DMABUF_HANDLE_MAX_SLOTS 0x10000u
#define DMABUF_HANDLE_GENERATION_MAX 0xFFFu
/* "no slot": a 16-bit link value no pool of fewer than 0xFFFF slots uses. */
#define DMABUF_SLOT_NONE 0xFFFFu

/* Why a handle does not decode. The names appear in debug messages. */
enum dmabuf_handle_fault {
	DMABUF_HANDLE_OK = 0,
	DMABUF_HANDLE_MALFORMED,    /* <= 0, type 0 or generation 0: never minted */
	DMABUF_HANDLE_WRONG_TYPE,   /* a live-looking handle of another type */
	DMABUF_HANDLE_OUT_OF_RANGE, /* slot beyond this pool: forged */
	DMABUF_HANDLE_STALE         /* the slot's object died (or was never this one) */
};

static inline dmabuf_handle_t dmabuf_handle_encode(enum dmabuf_handle_type type, uint16_t generation,
						   uint32_t slot)
{
	return (dmabuf_handle_t)(((uint32_t)type << 28) | ((uint32_t)generation << 16) | slot);
}

/*
 * Split @handle, expecting @type and a slot below @slot_count. Does not know
 * whether the slot is live: the owner compares *generation with the slot's.
 * @retval DMABUF_HANDLE_OK with *slot and *generation set, or the fault.
 */
enum dmabuf_handle_fault dmabuf_handle_decode(dmabuf_handle_t handle, enum dmabuf_handle_type type,
					      uint32_t slot_count, uint32_t *slot, uint16_t *generation);

/*
 * The slot bits of @handle, for the fast check every lookup makes: the
 * handle is valid iff that slot is live and its own handle (type,
 * generation, slot) equals @handle; negative and malformed handles never do,
 * since a live slot's generation is never 0. Only a refused handle needs
 * dmabuf_handle_decode, to name its fault.
 */
static inline uint32_t dmabuf_handle_slot(dmabuf_handle_t handle)
{
	return (uint32_t)handle & 0xFFFFu;
}

/* Whether @handle is the handle of slot dmabuf_handle_slot(@handle) while
 * that slot holds @generation's object of @type: the upper half of
 * dmabuf_handle_encode(type, generation, slot), compared without rebuilding
 * the slot bits, which are @handle's own (less code on every lookup). Written
 * as a difference (generation <= DMABUF_HANDLE_GENERATION_MAX, so type << 12
 * plus it is their OR; no difference of 16-bit values wraps to a multiple of
 * 0x1000 below 0x8000): gcc -O2 then keeps it in 32-bit registers. */
static inline bool dmabuf_handle_matches(dmabuf_handle_t handle, enum dmabuf_handle_type type, uint16_t generation)
{
	return ((uint32_t)handle >> 16) - generation == (uint32_t)type << 12;
}

/* The generation a slot takes when its object dies: 1..4095, skipping 0. */
static inline uint16_t dmabuf_handle_next_generation(uint16_t generation)
{
	return generation >= DMABUF_HANDLE_GENERATION_MAX ? 1 : (uint16_t)(generation + 1u);
}

#ifdef DMABUF_DEBUG
/* "stale", "wrong type", ... for messages (debug builds only). */
const char *dmabuf_handle_fault_name(enum dmabuf_handle_fault fault);
#endif

/*
 * A FIFO of free slots threaded through a 16-bit link field inside each slot
 * object (@link_offset bytes into a @stride-byte element of @slots). No
 * storage of its own; take and give are O(1).
 */
struct dmabuf_slot_pool {
	uint8_t *slots;
	size_t stride;
	size_t link_offset;
	uint16_t head; /* next slot to hand out, DMABUF_SLOT_NONE when empty */
	uint16_t tail;
};

/* All @count (< DMABUF_SLOT_NONE) slots free, handed out in index order. */
void dmabuf_slot_pool_init(struct dmabuf_slot_pool *pool, void *slots, size_t stride,
			   size_t link_offset, uint32_t count);
/* A free slot, or DMABUF_SLOT_NONE when none is left. */
uint16_t dmabuf_slot_pool_take(struct dmabuf_slot_pool *pool);
/* Return @slot; it is handed out again after every slot freed before it. */
void dmabuf_slot_pool_give(struct dmabuf_slot_pool *pool, uint16_t slot);
/* The free slot after @slot in the FIFO (for invariant checks). */
uint16_t dmabuf_slot_pool_next(const struct dmabuf_slot_pool *pool, uint16_t slot);

#endif /* DMABUF_CORE_HANDLE_H */
