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
#include "dmabuf/queue.h"
#include "dmabuf/resv.h"
#include "unit.h"

#define RULE_MAX_BUFFERS 8u
#define RULE_MAX_FENCES 4u
#define RULE_QUEUE_FRAMES 2u

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
	dmabuf_handle_t buffer;      /* attached (attachment) and mapped TO_DEVICE (mapping) */
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
};
extern struct rule_fixture fx;

void rule_report(void *user, const char *message);
void rule_fence_func(dmabuf_fence_t fence, int status, void *user);
void rule_wake(void *user);

/* Build the world, the dead objects poisoned past their magic word. */
void rule_open(void);
/* Judge the call (@refused, and exactly @reports messages), then take the
 * world down through the API: every step must succeed, so a call that
 * accepted its NULL and changed something fails here too. */
void rule_close(const char *function, const char *argument, const char *what, bool refused, uint32_t reports);

#endif /* RULE_FIXTURE_H */
