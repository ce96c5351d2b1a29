/*
 * The world every generated test of the rule "NULL and dead objects"
 * (dmabuf.h) runs in: one live object of each kind with a buffer that is
 * attached and mapped, a fence and a queue, so that every call the generator
 * writes would succeed but for the one NULL or dead argument; and one dead
 * object of each kind (deinitialised), whose storage past the magic word is
 * poisoned for AddressSanitizer, so a refusal that reads anything but that
 * word (a destroyed lock, a sink) is a sanitizer error.
 *
 * Every sink (context, pool, queue, fallback) counts into one counter, so
 * a test sees exactly how many messages its call produced.
 */
#ifndef RULE_FIXTURE_H
#define RULE_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dmabuf/board.h"
#include "dmabuf/dmabuf.h"
#include "dmabuf/fence.h"
#include "dmabuf/frame.h"
#include "dmabuf/peripheral.h"
#include "dmabuf/queue.h"
#include "dmabuf/resv.h"
#include "unit.h"

#define RULE_MAX_BUFFERS 8u
#define RULE_MAX_FENCES 4u
#define RULE_QUEUE_FRAMES 2u
#define RULE_FRAME_SIDE 4u                      /* frames and peripherals: 4 x 4 RGB565 */
#define RULE_FRAME_STRIDE (RULE_FRAME_SIDE * 2u)

struct rule_fixture {
	struct dmabuf_config config;
	struct dmabuf_ctx *ctx;
	struct dmabuf_fence_pool *pool;
	struct dmabuf_resv_table *resv;
	struct dmabuf_queue *queue;
	struct dmabuf_ctx *dead_ctx;
	struct dmabuf_fence_pool *dead_pool;
	struct dmabuf_resv_table *dead_resv;
	struct dmabuf_queue *dead_queue;
	dmabuf_handle_t buffer;      /* attached (attachment) and mapped BIDIRECTIONAL (mapping) */
	dmabuf_handle_t attachment;
	struct dmabuf_mapping mapping;
	dmabuf_handle_t queue_buffers[RULE_QUEUE_FRAMES];
	dmabuf_fence_t fence;        /* pending */
	uint32_t fence_context;
	int device;
	const char *device_name;
	char text[512];
	void *storage;               /* scratch for the inits under test */
	size_t storage_size;
	struct dmabuf_frame frame;   /* in buffer */
	uint8_t pixels[64];          /* a sprite, a row read */
	/* Descriptors, not objects (peripheral.h): no dead ones. The display is
	 * named like the board's DMA master, so the one "name" input serves
	 * dmabuf_device_find and dmabuf_peripheral_find. All configured. */
	struct dmabuf_peripheral_registry registry;
	struct dmabuf_peripheral camera, display, panel;
	struct dmabuf_frame_format frame_format;
	struct dmabuf_rect window;   /* inside the panel's GRAM and the mapping */
};
extern struct rule_fixture fx;

void rule_report(void *user, const char *message);
void rule_fence_func(dmabuf_fence_t fence, int status, void *user);
void rule_wake(void *user);
int rule_wait_hook(void *user, struct dmabuf_fence_pool *pool, dmabuf_fence_t fence, uint32_t timeout_us);
/* Whether @size bytes at @p are all zero (a refused struct returned by value). */
bool rule_all_zero(const void *p, size_t size);

/* Build the world, the dead objects poisoned past their magic word. */
void rule_open(void);
/* Judge the call (@refused, and exactly @reports messages), then take the
 * world down through the API: every step must succeed, so a call that
 * accepted its NULL and changed something fails here too. */
void rule_close(const char *function, const char *argument, const char *what, bool refused, uint32_t reports);

#endif /* RULE_FIXTURE_H */
