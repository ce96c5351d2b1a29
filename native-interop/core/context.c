/*
 * The context: validation of the board and config, the carving of every pool
 * from the caller's storage, teardown, and the statistics.
 *
 * Storage layout (each piece 8-byte aligned):
 *   struct dmabuf_ctx
 *   void *region_memory[region_count]          (copied from the config)
 *   struct dmabuf_buffer[max_buffers]
 *   struct dmabuf_attachment[max_attachments]
 *   struct dmabuf_heap_region[region_count]
 *   struct dmabuf_heap_block[2 * max_buffers + region_count + 1]
 *   uint16_t class lists and bitmaps           (per region: fl_count * 17)
 */
#include <string.h>

#include "internal.h"

static size_t align8(size_t n)
{
	return (n + 7u) & ~(size_t)7u;
}

static bool power_of_two(uint32_t value)
{
	return value != 0 && (value & (value - 1u)) == 0;
}

/* In the check_* functions: -EINVAL, reported if @report (dmabuf_init) and
 * not if dmabuf_storage_size only asks. */
#define CONFIG_FAIL(...) (report ? DMABUF_FAIL(config, DMABUF_EINVAL, __VA_ARGS__) : DMABUF_EINVAL)

static int check_regions(const struct dmabuf_config *config, bool report)
{
	const struct dmabuf_board *board = config->board;
	if (board->region_count == 0 || board->region_count > DMABUF_MAX_REGIONS || !board->regions)
		return CONFIG_FAIL("dmabuf_init: board: '%s' has %u regions (1..%u)", board->name,
				   board->region_count, DMABUF_MAX_REGIONS);
	for (uint32_t r = 0; r < board->region_count; r++) {
		const struct dmabuf_region_desc *region = &board->regions[r];
		uint32_t line = region->cache_line;
		if (!region->name)
			return CONFIG_FAIL("dmabuf_init: board: region %u has no name", r);
		if (!power_of_two(line) || line < 4)
			return CONFIG_FAIL("dmabuf_init: board: region '%s' line %u is not a power of two >= 4",
					   region->name, line);
		/* line is a power of two from here on. The end may be 2^32 but no
		 * further: in 32 bits, the last byte (size - 1 past the base, size
		 * not 0) must not wrap. */
		if (region->size == 0 || ((region->bus_base | region->size) & (line - 1u)) ||
		    region->size - 1u > ~region->bus_base)
			return CONFIG_FAIL("dmabuf_init: board: region '%s' 0x%x+%u is empty, wraps or is not line-aligned",
					   region->name, region->bus_base, region->size);
		if (!config->region_memory[r] || ((uintptr_t)config->region_memory[r] & (line - 1u)))
			return CONFIG_FAIL("dmabuf_init: region_memory: CPU address of region '%s' is NULL or not line-aligned",
					   region->name);
		/* By last bytes (inclusive), which cannot wrap: both regions passed
		 * the check above. */
		for (uint32_t other = 0; other < r; other++) {
			const struct dmabuf_region_desc *prior = &board->regions[other];
			if (region->bus_base <= prior->bus_base + (prior->size - 1u) &&
			    prior->bus_base <= region->bus_base + (region->size - 1u))
				return CONFIG_FAIL("dmabuf_init: board: regions '%s' and '%s' overlap", prior->name,
						   region->name);
		}
	}
	return 0;
}

static int check_devices(const struct dmabuf_config *config, bool report)
{
	const struct dmabuf_board *board = config->board;
	if (board->device_count > 0xFFFFu || (board->device_count > 0 && !board->devices))
		return CONFIG_FAIL("dmabuf_init: board: '%s' device table is missing or too long", board->name);
	for (uint32_t d = 0; d < board->device_count; d++) {
		const struct dmabuf_device_desc *dev = &board->devices[d];
		if (!dev->name)
			return CONFIG_FAIL("dmabuf_init: board: device %u has no name", d);
		if (dev->window_count == 0 || !dev->windows)
			return CONFIG_FAIL("dmabuf_init: board: device '%s' has no window", dev->name);
		for (uint32_t w = 0; w < dev->window_count; w++) {
			const struct dmabuf_window *window = &dev->windows[w];
			if (window->size == 0 || window->size - 1u > ~window->base) /* as a region's end */
				return CONFIG_FAIL("dmabuf_init: board: device '%s' window 0x%x+%u is empty or wraps",
						   dev->name, window->base, window->size);
		}
		if (!power_of_two(dev->align) || dev->max_segment_bytes < dev->align)
			return CONFIG_FAIL("dmabuf_init: board: device '%s' align %u is not a power of two or exceeds max_segment_bytes %u",
					   dev->name, dev->align, dev->max_segment_bytes);
	}
	return 0;
}

static int check_config(const struct dmabuf_config *config, bool report)
{
	if (!config->board || !config->region_memory || !config->cache || !config->cache->clean_range ||
	    !config->cache->invalidate_range)
		return CONFIG_FAIL("dmabuf_init: config: board, region_memory, cache and its clean_range/invalidate_range are mandatory");
	if (config->ownership && (!config->ownership->device_owned || !config->ownership->cpu_owned))
		return CONFIG_FAIL("dmabuf_init: config: ownership needs both device_owned and cpu_owned");
	if (config->max_buffers == 0 || config->max_buffers > DMABUF_MAX_BUFFERS ||
	    config->max_attachments > DMABUF_MAX_ATTACHMENTS)
		return CONFIG_FAIL("dmabuf_init: config: max_buffers %u (1..%u) or max_attachments %u (0..%u) out of range",
				   config->max_buffers, DMABUF_MAX_BUFFERS, config->max_attachments,
				   DMABUF_MAX_ATTACHMENTS);
	int err = check_regions(config, report);
	if (err)
		return err;
	return check_devices(config, report);
#undef CONFIG_FAIL
}

struct layout {
	size_t region_memory;
	size_t buffers;
	size_t attachments;
	size_t heap_regions;
	size_t blocks;
	size_t classes;
	size_t total;
	uint32_t block_count;
};

static void plan(const struct dmabuf_config *config, struct layout *layout)
{
	const struct dmabuf_board *board = config->board;
	uint32_t class_words = 0;
	for (uint32_t r = 0; r < board->region_count; r++) {
		uint32_t shift = (uint32_t)__builtin_ctz(board->regions[r].cache_line);
		class_words += dmabuf_heap_fl_count(board->regions[r].size >> shift) * (DMABUF_HEAP_SL_COUNT + 1u);
	}
	layout->block_count = dmabuf_heap_block_count(config->max_buffers, board->region_count);

	size_t at = align8(sizeof(struct dmabuf_ctx));
	layout->region_memory = at;
	at = align8(at + board->region_count * sizeof(void *));
	layout->buffers = at;
	at = align8(at + config->max_buffers * sizeof(struct dmabuf_buffer));
	layout->attachments = at;
	at = align8(at + config->max_attachments * sizeof(struct dmabuf_attachment));
	layout->heap_regions = at;
	at = align8(at + board->region_count * sizeof(struct dmabuf_heap_region));
	layout->blocks = at;
	at = align8(at + layout->block_count * sizeof(struct dmabuf_heap_block));
	layout->classes = at;
	layout->total = align8(at + class_words * sizeof(uint16_t));
}

size_t dmabuf_storage_size(const struct dmabuf_config *config)
{
	if (!config)
		return (void)DMABUF_REFUSE_OBJECT(NULL, "dmabuf_storage_size", "config"), 0;
	if (check_config(config, false))
		return 0;
	struct layout layout;
	plan(config, &layout);
	return layout.total;
}

int dmabuf_init(struct dmabuf_ctx **out, void *storage, size_t storage_size, const struct dmabuf_config *config)
{
	if (!out || !storage || !config)
		return DMABUF_REFUSE_OBJECT(NULL, "dmabuf_init", !out ? "out" : !storage ? "storage" : "config");
	int err = check_config(config, true);
	if (err)
		return err;
	if ((uintptr_t)storage % 8u)
		return DMABUF_FAIL(config, DMABUF_EINVAL, "dmabuf_init: storage: not 8-byte aligned");
	struct layout layout;
	plan(config, &layout);
	if (storage_size < layout.total)
		return DMABUF_FAIL(config, DMABUF_ENOMEM, "dmabuf_init: storage: %u bytes given, %u needed",
				   (uint32_t)storage_size, (uint32_t)layout.total);

	uint8_t *base = storage;
	memset(base, 0, layout.total);
	struct dmabuf_ctx *ctx = storage;
	err = dmabuf_mutex_init(&ctx->lock);
	if (err)
		return DMABUF_FAIL(config, err, "dmabuf_init: lock: the OS port could not create the mutex (%d)",
				   (int32_t)err);

	const struct dmabuf_board *board = config->board;
	ctx->board = board;
	ctx->region_memory = (void **)(base + layout.region_memory);
	for (uint32_t r = 0; r < board->region_count; r++)
		ctx->region_memory[r] = config->region_memory[r];
	ctx->cache = config->cache;
	ctx->cache_priv = config->cache_priv;
	ctx->ownership = config->ownership;
	ctx->ownership_priv = config->ownership_priv;
	ctx->report = config->report;
	ctx->report_user = config->report_user;
	ctx->checker = config->checker;

	ctx->max_buffers = config->max_buffers;
	ctx->buffers = (struct dmabuf_buffer *)(base + layout.buffers);
	for (uint32_t i = 0; i < ctx->max_buffers; i++)
		ctx->buffers[i].generation = 1;
	dmabuf_slot_pool_init(&ctx->free_buffers, ctx->buffers, sizeof(struct dmabuf_buffer),
			      offsetof(struct dmabuf_buffer, pool_link), ctx->max_buffers);

	ctx->max_attachments = config->max_attachments;
	ctx->attachments = (struct dmabuf_attachment *)(base + layout.attachments);
	for (uint32_t i = 0; i < ctx->max_attachments; i++)
		ctx->attachments[i].generation = 1;
	dmabuf_slot_pool_init(&ctx->free_attachments, ctx->attachments, sizeof(struct dmabuf_attachment),
			      offsetof(struct dmabuf_attachment, pool_link), ctx->max_attachments);

	dmabuf_heap_init(&ctx->heap, board, (struct dmabuf_heap_block *)(base + layout.blocks), layout.block_count,
			 (struct dmabuf_heap_region *)(base + layout.heap_regions), (uint16_t *)(base + layout.classes));
	ctx->magic = DMABUF_MAGIC_CONTEXT;
	*out = ctx;
	return 0;
}

/* One message per live buffer, in debug builds: the names are what the user
 * needs to find the leak. Lock held. */
static void report_live_buffers(const struct dmabuf_ctx *ctx, const char *caller)
{
	(void)ctx;
	(void)caller;
#ifdef DMABUF_DEBUG
	for (uint32_t slot = 0; slot < ctx->max_buffers; slot++) {
		const struct dmabuf_buffer *buf = &ctx->buffers[slot];
		if (buf->refcount > 0)
			(void)DMABUF_FAIL(ctx, DMABUF_EBUSY,
					  "%s: leak: buffer '%s' (%u bytes, %u references, %u attachments) is alive",
					  caller, buf->name, buf->size, buf->refcount, (uint32_t)buf->attachments);
	}
#endif
}

int dmabuf_deinit(struct dmabuf_ctx *ctx)
{
	if (!dmabuf_object_live(ctx, DMABUF_MAGIC_CONTEXT))
		return DMABUF_REFUSE_OBJECT(ctx, "dmabuf_deinit", "ctx");
	dmabuf_lock(ctx);
	if (ctx->live_buffers > 0) {
		report_live_buffers(ctx, "dmabuf_deinit");
		dmabuf_unlock(ctx);
		return DMABUF_EBUSY;
	}
	ctx->magic = 0; /* dead before the lock goes: no later call takes it */
	dmabuf_unlock(ctx);
	dmabuf_mutex_destroy(&ctx->lock);
	return 0;
}

int dmabuf_reset(struct dmabuf_ctx *ctx)
{
	if (!dmabuf_object_live(ctx, DMABUF_MAGIC_CONTEXT))
		return DMABUF_REFUSE_OBJECT(ctx, "dmabuf_reset", "ctx");
	dmabuf_lock(ctx);
	uint32_t dropped = ctx->live_buffers;
	report_live_buffers(ctx, "dmabuf_reset");
	for (uint32_t slot = 0; slot < ctx->max_buffers; slot++)
		if (ctx->buffers[slot].refcount > 0)
			dmabuf_buffer_drop(ctx, &ctx->buffers[slot]);
	/* Every block is free and merged again: the heap is as init left it,
	 * and so are the statistics. */
	ctx->heap.peak = 0;
	ctx->heap.failed = 0;
	ctx->cache_stats = (struct dmabuf_cache_stats){ 0 };
	ctx->cpu_copy_stats = (struct dmabuf_cpu_copy_stats){ 0 };
	dmabuf_unlock(ctx);
	return (int)dropped;
}

int dmabuf_device_find(const struct dmabuf_ctx *ctx, const char *name)
{
	if (!dmabuf_object_live(ctx, DMABUF_MAGIC_CONTEXT))
		return DMABUF_REFUSE_OBJECT(ctx, "dmabuf_device_find", "ctx");
	if (!name)
		return DMABUF_FAIL(ctx, DMABUF_EINVAL, "dmabuf_device_find: name: NULL");
	/* The board is immutable: no lock needed. */
	for (uint32_t d = 0; d < ctx->board->device_count; d++)
		if (strcmp(ctx->board->devices[d].name, name) == 0)
			return (int)d;
	return DMABUF_FAIL(ctx, DMABUF_ENOENT, "dmabuf_device_find: device: no device '%s' on board '%s'", name,
			   ctx->board->name);
}

void dmabuf_heap_stats(const struct dmabuf_ctx *ctx, struct dmabuf_heap_stats *out)
{
	if (!dmabuf_object_live(ctx, DMABUF_MAGIC_CONTEXT)) {
		(void)DMABUF_REFUSE_OBJECT(ctx, "dmabuf_heap_stats", "ctx");
		return;
	}
	if (!out) {
		(void)DMABUF_FAIL(ctx, DMABUF_EINVAL, "dmabuf_heap_stats: out: NULL");
		return;
	}
	dmabuf_lock(ctx);
	out->capacity = ctx->heap.capacity;
	out->in_use = ctx->heap.in_use;
	out->peak = ctx->heap.peak;
	out->failed = ctx->heap.failed;
	out->largest_free = dmabuf_heap_largest_free(&ctx->heap);
	out->live_buffers = ctx->live_buffers;
	out->live_attachments = ctx->live_attachments;
	dmabuf_unlock(ctx);
}

void dmabuf_stats_access(const struct dmabuf_ctx *ctx, uint32_t where, void *out, const char *caller)
{
	(void)caller;
	if (!dmabuf_object_live(ctx, DMABUF_MAGIC_CONTEXT)) {
		(void)DMABUF_REFUSE_OBJECT(ctx, caller, "ctx");
		return;
	}
	if (!out) {
		(void)DMABUF_FAIL(ctx, DMABUF_EINVAL, "%s: out: NULL", caller);
		return;
	}
	/* The statistics are the mutable part of the context, like its lock. */
	uint8_t *stats = (uint8_t *)ctx + (where & 0xFFFFu);
	dmabuf_lock(ctx);
	if (out == DMABUF_STATS_RESET)
		memset(stats, 0, where >> 16);
	else
		memcpy(out, stats, where >> 16);
	dmabuf_unlock(ctx);
}

void dmabuf_cache_stats(const struct dmabuf_ctx *ctx, struct dmabuf_cache_stats *out)
{
	DMABUF_STATS(ctx, cache_stats, out, "dmabuf_cache_stats");
}

void dmabuf_cache_stats_reset(struct dmabuf_ctx *ctx)
{
	DMABUF_STATS(ctx, cache_stats, DMABUF_STATS_RESET, "dmabuf_cache_stats_reset");
}
