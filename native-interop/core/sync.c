/*
 * The cache hand-over state machine: every cache operation the core issues
 * is decided here, and nowhere else (but for the tests of rules 1 and 2,
 * inline in internal.h for the memoised map's sake).
 *
 * DOC: cache hand-overs
 *
 * A CPU with a write-back data cache and a DMA master that does not snoop it
 * see two copies of a buffer: the cache lines and memory. Two rules keep them
 * honest: what the CPU wrote must be CLEANED (written back) before a device
 * reads memory, and what a device wrote must be read by the CPU only after
 * the CPU's lines were INVALIDATED (discarded), or the CPU sees old bytes.
 * Invalidate is destructive: a dirty line dropped by it loses CPU data, and a
 * dirty line left alone may be EVICTED (written back) at any moment, e.g.
 * over data a device has just written.
 *
 * Per buffer the core keeps three facts (buffer->cache_state; the third,
 * CLEAN_DEFERRED, is described with rules 5 and 6):
 *
 *   MAY_BE_DIRTY  the cache may hold dirty lines of the buffer. Set when
 *                 storage is placed: the memory may carry dirty lines from its
 *                 previous owner or from startup code. Cleared when the whole
 *                 buffer is cleaned or invalidated.
 *   MAY_BE_STALE  a device may have written memory since the CPU last
 *                 invalidated. Set by a map in which a non-coherent device
 *                 writes (FROM_DEVICE, BIDIRECTIONAL). Cleared by a whole-buffer
 *                 invalidate.
 *
 * The hand-overs. All of them are free (ZERO cache operations) on an
 * uncached region; those about one device are free if that device is
 * coherent (it snoops the cache).
 *
 *  1. map, device writes (FROM_DEVICE / BIDIRECTIONAL), MAY_BE_DIRTY:
 *     invalidate the whole buffer BEFORE the device runs, so no dirty line can
 *     be evicted over the DMA data later; clear MAY_BE_DIRTY. Then set
 *     MAY_BE_STALE. Nothing of value is lost: every CPU write made inside a
 *     CPU access was cleaned when that access ended (rule 5), so the only
 *     dirty lines left are garbage from a previous owner.
 *  2. map, TO_DEVICE: nothing. The CPU's writes were cleaned when its access
 *     ended (rule 5); lines the CPU never wrote hold nothing the device needs.
 *  3. unmap: nothing. MAY_BE_STALE was set at map. The second invalidate
 *     every device->CPU transfer needs (the CPU may have speculatively
 *     refilled lines while the DMA ran) happens lazily at the next CPU access
 *     (rule 4), so a frame passed device->device (camera -> display) never
 *     pays for it.
 *  4. begin_cpu_access, MAY_BE_STALE: invalidate the lines of the accessed
 *     range; if the range is the whole buffer, clear MAY_BE_STALE and
 *     MAY_BE_DIRTY. This applies to EVERY direction, not only to reads: a
 *     CPU that writes part of a stale line (TO_DEVICE access after a device
 *     wrote, e.g. drawing an overlay into a camera frame) makes the whole line
 *     dirty, and the clean of rule 5 would then write the stale rest of the
 *     line over the device's bytes.
 *     If CLEAN_DEFERRED is set too, the range's lines are CLEANED first (one
 *     clean_invalidate_all above the threshold): they may hold CPU writes
 *     whose clean rule 5 deferred, and the invalidate alone would discard
 *     them. It happens: a non-coherent device writes and detaches (the
 *     buffer stays stale), the CPU writes a sub-range with only coherent
 *     devices attached (deferred), then any access reaches those lines. The
 *     clean writes back nothing stale: while a clean is owed no non-coherent
 *     device is attached (its attach pays it, rule 6), so no device wrote
 *     since this rule last refreshed the lines the CPU then dirtied. A
 *     whole-buffer range also clears CLEAN_DEFERRED: nothing is owed.
 *  5. end_cpu_access, CPU wrote (TO_DEVICE / BIDIRECTIONAL): clean the lines
 *     of the accessed range; if the range is the whole buffer, clear
 *     MAY_BE_DIRTY. If every attached device is coherent (and at least one is
 *     attached) the clean is skipped and owed: CLEAN_DEFERRED is set, and the
 *     attach of the first non-coherent device cleans the whole buffer (rule 6).
 *     With no device attached the core cannot know who comes next, so it
 *     cleans.
 *  6. attach of a non-coherent device with CLEAN_DEFERRED: clean the whole
 *     buffer, clear CLEAN_DEFERRED and MAY_BE_DIRTY. (This is also why rule 1
 *     never meets CLEAN_DEFERRED: a non-coherent device is attached. Rule 4
 *     does meet it: MAY_BE_STALE outlives the detach of the device that
 *     wrote; there rule 4 pays the owed clean of its own range first.)
 *  7. migration (attach moves never-mapped storage): the core copies the
 *     bytes through the CPU, so the destination holds dirty lines: clean the
 *     whole destination; the buffer then has no dirty and no stale line.
 *     The source cannot be stale: it was never mapped.
 *
 * Line arithmetic: first line = round_down(dma_addr + offset, line), end =
 * round_up(dma_addr + offset + length, line); the backend gets the CPU
 * address and size of exactly those lines. Storage is line-aligned and
 * line-padded (heap.c), so rounding never touches another buffer's line.
 * Above board->whole_cache_threshold bytes (if non-zero and the backend has
 * the operation) the loop is replaced: clean -> clean_all, invalidate ->
 * clean_invalidate_all (a whole-cache invalidate would destroy other owners'
 * dirty data, so it does not exist). Writing back this buffer's own lines
 * first is harmless: at rule 1 the device overwrites them, and at rule 4 the
 * buffer's only dirty lines are CPU writes whose clean is owed (rule 1
 * dropped the rest, rule 5 cleaned the others), which must be written back.
 * Counted as whole_cache_ops instead of lines.
 *
 * What the rules assume of the user: the CPU touches the bytes only inside
 * an access, and writes only in TO_DEVICE / BIDIRECTIONAL accesses. A write
 * made during a FROM_DEVICE access is never cleaned and may be discarded by
 * the next invalidate: that is the misuse the names warn about.
 */
#include "internal.h"

#ifdef DMABUF_DEBUG
const char *dmabuf_direction_name(uint32_t direction)
{
	switch (direction) {
	case DMABUF_TO_DEVICE:
		return "to-device";
	case DMABUF_FROM_DEVICE:
		return "from-device";
	case DMABUF_BIDIRECTIONAL:
		return "bidirectional";
	default:
		return "none";
	}
}
#endif

/* CACHE_CLEAN_INVALIDATE: the owed clean, then the invalidate, of the same
 * lines (rule 4 on a buffer with CLEAN_DEFERRED). */
enum cache_op { CACHE_CLEAN, CACHE_INVALIDATE, CACHE_CLEAN_INVALIDATE };

static bool whole_buffer(const struct dmabuf_buffer *buf, uint32_t offset, uint32_t length)
{
	return offset == 0 && length == buf->size;
}

/* Clean, invalidate, or clean then invalidate the lines holding [offset,
 * offset + length) of @buf (a range already checked against the buffer's
 * size). */
static int cache_lines(struct dmabuf_ctx *ctx, const struct dmabuf_buffer *buf, enum cache_op op,
		       uint32_t offset, uint32_t length)
{
	uint32_t line = ctx->board->regions[dmabuf_buffer_region(ctx, buf)].cache_line;
	/* The block starts on a line, so rounding offsets inside it rounds the
	 * bus addresses; the end cannot overflow: it stays within the padded
	 * block, which fits the 32-bit region. */
	uint32_t first = offset & ~(line - 1u);
	uint32_t end = (offset + length + line - 1u) & ~(line - 1u);
	uint32_t bytes = end - first;
	const struct dmabuf_cache_ops *cache = ctx->cache;
	int err;

	/* clean_invalidate_all also serves CACHE_CLEAN_INVALIDATE. */
	int (*whole)(void *) = op == CACHE_CLEAN ? cache->clean_all : cache->clean_invalidate_all;
	uint32_t threshold = ctx->board->whole_cache_threshold;
	if (threshold != 0 && bytes > threshold && whole) {
		err = whole(ctx->cache_priv);
		if (err == 0)
			ctx->cache_stats.whole_cache_ops++;
		return err;
	}

	void *addr = dmabuf_buffer_cpu(ctx, buf) + first;
	if (op != CACHE_INVALIDATE) {
		err = cache->clean_range(ctx->cache_priv, addr, bytes, line);
		if (err)
			return err;
		ctx->cache_stats.lines_cleaned += bytes / line;
	}
	if (op != CACHE_CLEAN) {
		err = cache->invalidate_range(ctx->cache_priv, addr, bytes, line);
		if (err)
			return err;
		ctx->cache_stats.lines_invalidated += bytes / line;
	}
	return 0;
}

/* With no device attached, the next device may be non-coherent. */
static bool noncoherent_party(const struct dmabuf_ctx *ctx, const struct dmabuf_buffer *buf)
{
	if (buf->attachments == 0)
		return true;
	for (uint16_t a = buf->first_attachment; a != DMABUF_SLOT_NONE; a = ctx->attachments[a].next)
		if (!ctx->board->devices[ctx->attachments[a].device].coherent)
			return true;
	return false;
}

void dmabuf_sync_placed(struct dmabuf_buffer *buf)
{
	buf->cache_state = DMABUF_CACHE_MAY_BE_DIRTY;
}

/* Rule 7. */
int dmabuf_sync_migrated(struct dmabuf_ctx *ctx, struct dmabuf_buffer *buf)
{
	if (dmabuf_buffer_cacheable(ctx, buf)) {
		int err = cache_lines(ctx, buf, CACHE_CLEAN, 0, buf->size);
		if (err)
			return err;
	}
	buf->cache_state = 0;
	return 0;
}

/* Rule 6. */
int dmabuf_sync_attach(struct dmabuf_ctx *ctx, struct dmabuf_buffer *buf,
		       const struct dmabuf_device_desc *dev)
{
	if (dev->coherent || !(buf->cache_state & DMABUF_CACHE_CLEAN_DEFERRED))
		return 0;
	int err = cache_lines(ctx, buf, CACHE_CLEAN, 0, buf->size);
	if (err)
		return err;
	buf->cache_state &= (uint8_t)~(DMABUF_CACHE_CLEAN_DEFERRED | DMABUF_CACHE_MAY_BE_DIRTY);
	return 0;
}

/* Rule 1's invalidate; the rest of rules 1 and 2 is dmabuf_sync_map, inline
 * in internal.h (a memoised map is a hot path). */
int dmabuf_sync_map_invalidate(struct dmabuf_ctx *ctx, struct dmabuf_buffer *buf)
{
	int err = cache_lines(ctx, buf, CACHE_INVALIDATE, 0, buf->size);
	if (err)
		return err;
	buf->cache_state &= (uint8_t)~DMABUF_CACHE_MAY_BE_DIRTY;
	return 0;
}

/* Rule 4 (with the owed clean of the range first, if any). */
int dmabuf_sync_begin_cpu(struct dmabuf_ctx *ctx, struct dmabuf_buffer *buf, uint32_t offset,
			  uint32_t length)
{
	if (!dmabuf_buffer_cacheable(ctx, buf) || !(buf->cache_state & DMABUF_CACHE_MAY_BE_STALE))
		return 0;
	enum cache_op op = buf->cache_state & DMABUF_CACHE_CLEAN_DEFERRED ? CACHE_CLEAN_INVALIDATE : CACHE_INVALIDATE;
	int err = cache_lines(ctx, buf, op, offset, length);
	if (err)
		return err;
	if (whole_buffer(buf, offset, length))
		buf->cache_state &= (uint8_t)~(DMABUF_CACHE_MAY_BE_STALE | DMABUF_CACHE_MAY_BE_DIRTY | DMABUF_CACHE_CLEAN_DEFERRED);
	return 0;
}

/* Rule 5. */
int dmabuf_sync_end_cpu(struct dmabuf_ctx *ctx, struct dmabuf_buffer *buf, enum dmabuf_direction direction,
			uint32_t offset, uint32_t length)
{
	if (!dmabuf_buffer_cacheable(ctx, buf) || !dmabuf_cpu_writes(direction))
		return 0;
	if (!noncoherent_party(ctx, buf)) {
		buf->cache_state |= DMABUF_CACHE_CLEAN_DEFERRED;
		return 0;
	}
	int err = cache_lines(ctx, buf, CACHE_CLEAN, offset, length);
	if (err)
		return err;
	if (whole_buffer(buf, offset, length))
		buf->cache_state &= (uint8_t)~DMABUF_CACHE_MAY_BE_DIRTY;
	return 0;
}
