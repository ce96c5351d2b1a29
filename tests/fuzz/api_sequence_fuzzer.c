/*
 * libFuzzer harness: random sequences of buffer, attach, map, CPU-access,
 * fence, reservation and frame-queue calls with random and hostile
 * arguments, each checked against the reference model (reference_model.h).
 *
 * After every call:
 *   - the return code, every value handed back (handles, mappings, CPU
 *     pointers, frame indices, statuses) and the debug messages per sink
 *     equal the model's;
 *   - the cache operations, ownership hook calls and fence callbacks the
 *     call caused equal the model's, in order;
 *   - dmabuf_check, dmabuf_fence_pool_check and dmabuf_queue_check pass;
 *     heap, cache, pool and queue statistics, every live buffer's info and
 *     fence's info, and the bufinfo text equal the model's;
 *   - region memory outside the live buffers still holds its canary, and
 *     (ASan builds) is poisoned, so no CPU view reaches outside its buffer;
 *   - every byte of every live buffer that the model knows (written by the
 *     CPU through a view or by a device over its mapping, carried along by
 *     moves) is in memory.
 * At the end everything is released through the API and every byte, slot
 * and fence must be back.
 *
 * Input: 3 configuration bytes (board threshold, whole-cache ops, checker,
 * ownership hook, pool sizes, and which hostile init to try first), then
 * one opcode byte per call followed by the bytes its arguments need; a
 * short input reads zeros. Any byte string is a valid input.
 */
#include "api_sequence_fuzzer.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmabuf/dmabuf.h"
#include "dmabuf/fence.h"
#include "dmabuf/queue.h"
#include "dmabuf/resv.h"
#include "fuzz_env.h"
#include "reference_model.h"

static void abort_on_divergence(void)
{
	abort();
}

void (*fuzz_divergence_hook)(void) = abort_on_divergence;
uint64_t fuzz_calls_checked;

/* Calls per input: enough for deep states, bounded so an input stays fast. */
#define MAX_CALLS 256u

/* ---- input ------------------------------------------------------------------ */

static const uint8_t *input;
static size_t input_size, input_at;

static uint8_t u8(void)
{
	return input_at < input_size ? input[input_at++] : 0;
}

static uint16_t u16(void)
{
	uint16_t low = u8();
	return (uint16_t)(low | (uint16_t)(u8() << 8));
}

static uint32_t u32(void)
{
	uint32_t low = u16();
	return low | ((uint32_t)u16() << 16);
}

/* True about once in 64 calls: the null-pointer variants. */
static bool rare(void)
{
	return (u8() & 63u) == 63u;
}

/* ---- state ---------------------------------------------------------------------- */

static struct model model;
static struct dmabuf_config config;
static struct dmabuf_ctx *ctx;
static uint64_t ctx_storage[2048];
static struct dmabuf_fence_pool *pool;
static uint64_t pool_storage[128];
static struct dmabuf_resv_table *resv;
static uint64_t resv_storage[128];
static struct dmabuf_queue *queue;
static uint64_t queue_storage[512];
static void *cpu_view[MODEL_MAX_BUFFERS]; /* what begin_cpu_access returned */

/*
 * A safety property of the core's cache log, checked apart from the model's
 * prediction of it: bytes inside a CPU write access whose clean rule 5
 * deferred (only coherent devices attached) hold CPU data that exists only in
 * dirty cache lines until a clean; no invalidate may cover them before one.
 * Per buffer slot, with a count so slots without such bytes cost nothing.
 */
static uint8_t owed_bytes[MODEL_MAX_BUFFERS][MODEL_MAX_BUFFER_BYTES];
static uint32_t owed_count[MODEL_MAX_BUFFERS];
static bool cache_failure_armed; /* the call's first cache operation fails and does nothing */

struct harness_callback {
	struct dmabuf_fence_cb cb;
	uint32_t index;
};
static struct harness_callback callbacks[MODEL_MAX_CALLBACKS];
static struct model_callback_run runs[MODEL_RUN_LOG];
static uint32_t run_count;

static uint32_t call_index;
static const char *call_name;

static void diverge(const char *fmt, ...)
{
	va_list args;
	va_start(args, fmt);
	fprintf(stderr, "DIVERGENCE at call %u (%s): ", call_index, call_name);
	vfprintf(stderr, fmt, args);
	fprintf(stderr, "\n  last debug message: %s\n", fuzz_last_message);
	va_end(args);
	fuzz_divergence_hook();
}

#define EXPECT_EQ(got, want, what)                                                                         \
	do {                                                                                               \
		long long got_ = (long long)(got), want_ = (long long)(want);                              \
		if (got_ != want_)                                                                         \
			diverge("%s: core %lld (0x%llx), model %lld (0x%llx)", what, got_,                 \
				(unsigned long long)got_, want_, (unsigned long long)want_);               \
	} while (0)

static bool direction_valid(uint32_t direction)
{
	return direction >= DMABUF_TO_DEVICE && direction <= DMABUF_BIDIRECTIONAL;
}

static bool device_writes(uint32_t direction)
{
	return (direction & DMABUF_FROM_DEVICE) != 0;
}

static bool cpu_writes(uint32_t direction)
{
	return (direction & DMABUF_TO_DEVICE) != 0;
}

/* ---- the real fence callback -------------------------------------------------- */

static void fence_callback(dmabuf_fence_t fence, int status, void *user)
{
	const struct harness_callback *hc = user;
	const struct model_callback *mc = &model.callbacks[hc->index];
	if (run_count < MODEL_RUN_LOG)
		runs[run_count] = (struct model_callback_run){ hc->index, fence, status };
	run_count++;
	if (mc->kind == MODEL_CB_SIGNAL)
		(void)dmabuf_fence_signal(pool, mc->other);
	else if (mc->kind == MODEL_CB_PUT_SELF)
		(void)dmabuf_fence_put(pool, fence);
}

/* ---- argument pickers ------------------------------------------------------------ */

/* The @k-th live object of a kind, or 0 if there is none. */
static int32_t live_buffer(uint32_t k)
{
	uint32_t live = 0;
	for (uint32_t i = 0; i < model.max_buffers; i++)
		live += model.buffers[i].refcount > 0;
	for (uint32_t i = 0, n = 0; live && i < model.max_buffers; i++)
		if (model.buffers[i].refcount && n++ == k % live)
			return model_buffer_handle(&model, i);
	return 0;
}

static int32_t live_attachment(uint32_t k)
{
	uint32_t live = 0;
	for (uint32_t i = 0; i < model.max_attachments; i++)
		live += model.attachments[i].live;
	for (uint32_t i = 0, n = 0; live && i < model.max_attachments; i++)
		if (model.attachments[i].live && n++ == k % live)
			return model_attachment_handle(&model, i);
	return 0;
}

static int32_t live_fence(uint32_t k)
{
	uint32_t live = 0;
	for (uint32_t i = 0; i < model.fence_capacity; i++)
		live += model.fences[i].refcount > 0;
	for (uint32_t i = 0, n = 0; live && i < model.fence_capacity; i++)
		if (model.fences[i].refcount && n++ == k % live)
			return model_fence_handle(&model, i);
	return 0;
}

/* Handles no pool ever minted, or minted for another pool size or type. */
static int32_t hostile_handle(uint32_t k)
{
	switch (k % 12) {
	case 0: return 0;
	case 1: return -1;
	case 2: return INT32_MIN;
	case 3: return INT32_MAX;
	case 4: return (int32_t)u32();
	case 5: return model_handle(MODEL_BUFFER, 0, 0);                      /* generation 0 */
	case 6: return model_handle(MODEL_BUFFER, 1, model.max_buffers);      /* slot past the pool */
	case 7: return model_handle(MODEL_ATTACHMENT, 1, 0xFFFF);
	case 8: return (int32_t)0x00010000;                                   /* type 0 */
	case 9: return (int32_t)0x70010000;                                   /* type 7 */
	case 10: return model_handle(MODEL_FENCE, 1, model.fence_capacity);
	default: return (int32_t)(((uint32_t)4 << 28) | 0x10000u);           /* a queue-typed handle */
	}
}

enum pick_kind { PICK_BUFFER, PICK_ATTACHMENT, PICK_FENCE };

/* Mostly a live object of @kind; else a dead handle, a live one of another
 * kind, or a hostile value. */
static int32_t pick_handle(enum pick_kind kind)
{
	uint8_t s = u8();
	uint32_t k = (uint32_t)(s >> 3);
	int32_t live[3] = { live_buffer(k), live_attachment(k), live_fence(k) };
	switch (s & 7u) {
	case 0: case 1: case 2: case 3:
		if (live[kind])
			return live[kind];
		/* fall through */
	case 4:
		return model.dead[k % 8];
	case 5:
		return live[(kind + 1) % 3];
	case 6:
		return live[(kind + 2) % 3];
	default:
		return hostile_handle(k);
	}
}

static uint32_t pick_direction(void)
{
	static const uint32_t hostile[] = { 0, 4, 7, 0xFF, 0x80000000u, 0xFFFFFFFFu, 0x10001u, 5 };
	uint8_t s = u8();
	return s < 0xF0 ? 1u + s % 3u : hostile[s & 7u];
}

/* Sizes: small, any, on and around the edges that matter (a region's size,
 * a whole number of a device's segments, line multiples), and hostile. */
static uint32_t pick_size(void)
{
	static const uint32_t hostile[] = { 0, 0x80000000u, 0xFFFFFFFFu, 0xFFFFFFE0u };
	uint8_t s = u8();
	uint32_t k = s >> 3;
	switch (s & 7u) {
	case 0: return 1u + u8();
	case 1: return 1u + u16() % 9000u;
	case 2: return fuzz_regions[k & 3u].size;
	case 3: return fuzz_regions[k & 3u].size + ((k & 4u) ? 1u : -1u);
	case 4: return hostile[k & 3u];
	case 5: {
		uint8_t n = u8();
		return model_segment_bytes(k % FUZZ_DEVICE_COUNT) * (1u + (n & 7u)) + (uint32_t)((n >> 3) % 3u) - 1u;
	}
	case 6: return 16u * (1u + u8());
	default: return u32();
	}
}

static const char *pick_name(void)
{
	static const char *const names[] = {
		"frame", "", NULL, "exactly15chars_", "sixteen_chars_16", "a_name_far_longer_than_sixteen_chars",
		"%s%n%x%d%%", "tab\tnew\nline", "\xff\xfe\x80", "cam", "disp", "spi",
	};
	return names[u8() % (sizeof(names) / sizeof(names[0]))];
}

static uint32_t pick_flags(void)
{
	static const uint32_t hostile[] = { 4, 0x80, 0xFFFFFFFFu, 7, 0x100, 0x80000000u, 6, 5 };
	uint8_t s = u8();
	return s < 0xF0 ? s & 3u : hostile[s & 7u];
}

static int pick_device(void)
{
	static const int hostile[] = { -1, FUZZ_DEVICE_COUNT, INT32_MIN, INT32_MAX, 1000, 0xFFFF, -2, 9 };
	uint8_t s = u8();
	return s < 0xF0 ? (int)(s % FUZZ_DEVICE_COUNT) : hostile[s & 7u];
}

/* A CPU access range for a buffer of @size bytes: mostly inside, else on
 * and past every edge. */
static void pick_range(uint32_t size, uint32_t *offset, uint32_t *length)
{
	uint8_t s = u8();
	uint32_t r = u16();
	switch (s % 10u) {
	case 0: *offset = 0; *length = DMABUF_WHOLE; break;
	case 1: *offset = 0; *length = size; break;
	case 2:
		*offset = size ? r % size : 0;
		*length = size > *offset ? 1u + u16() % (size - *offset) : 1u;
		break;
	case 3: *offset = size - 1u; *length = 1; break;
	case 4: *offset = size; *length = DMABUF_WHOLE; break;
	case 5: *offset = r % (size + 1u); *length = 0; break;
	case 6: *offset = 0xFFFFFFF0u; *length = 0x20; break;
	case 7: *offset = size ? r % size : 0; *length = DMABUF_WHOLE; break;
	case 8: *offset = 1; *length = size; break;
	default: *offset = u32(); *length = u32(); break;
	}
}

static uint32_t buffer_size_or(int32_t handle, uint32_t otherwise)
{
	int b = model_buffer_lookup(&model, handle);
	return b >= 0 ? model.buffers[b].size : otherwise;
}

/* ---- memory views ------------------------------------------------------------------ */

/* ASan: only live buffers' bytes are addressable. */
static void repoison(void)
{
	fuzz_memory_poison_all();
	for (uint32_t i = 0; i < model.max_buffers; i++)
		if (model.buffers[i].refcount && model.buffers[i].region >= 0)
			fuzz_memory_live(model_cpu(&model, i), model.buffers[i].size);
}

/* The placement the core reports for @handle (get_info). */
static bool real_placement(int32_t handle, uint32_t *region, uint32_t *offset)
{
	struct dmabuf_info info;
	if (dmabuf_get_info(ctx, handle, &info) != 0 || info.region < 0 || info.region >= FUZZ_REGION_COUNT) {
		diverge("get_info of a buffer just placed failed or names no region");
		return false;
	}
	*region = (uint32_t)info.region;
	*offset = info.dma_addr - fuzz_regions[info.region].bus_base;
	return true;
}

/* The block a failed call placed and released again, found from the range
 * cache operation it issued on the block's first line. */
static bool placement_from_cache_log(uint32_t *region, uint32_t *offset)
{
	if (fuzz_cache.count == 0 || (fuzz_cache.log[0].kind != FUZZ_CLEAN && fuzz_cache.log[0].kind != FUZZ_INVALIDATE))
		return false;
	uintptr_t addr = fuzz_cache.log[0].addr;
	for (uint32_t r = 0; r < FUZZ_REGION_COUNT; r++) {
		uintptr_t base = (uintptr_t)fuzz_region_memory[r];
		if (addr >= base && addr - base < fuzz_regions[r].size) {
			*region = r;
			*offset = (uint32_t)(addr - base);
			return true;
		}
	}
	diverge("cache operation at an address outside every region");
	return false;
}

/*
 * Judge a placement of @size bytes with @flags for buffer slot @slot (its
 * attached devices, and @extra_device if >= 0, must all be suited), against
 * the model's free gaps. @placed: the core chose (@region, @offset). Returns
 * 0 if the placement is legal, else the error the model requires for a
 * refusal (-ENOMEM, or -EFAULT when no region suits); diverges on a placement
 * the contract forbids.
 */
static int judge_placement(uint32_t slot, uint32_t size, uint32_t flags, int extra_device, bool placed,
			   uint32_t region, uint32_t offset)
{
	uint32_t order[FUZZ_REGION_COUNT];
	uint32_t n = model_region_order(flags, order);
	bool suitable = false;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t r = order[i];
		if (!model_region_suits(&model, slot, r, extra_device))
			continue;
		suitable = true;
		uint32_t granules = model_granules(r, size);
		uint32_t gap = model_largest_gap(&model, r);
		if (placed && r == region) {
			uint32_t line = fuzz_regions[r].cache_line;
			if (gap < granules || offset % line != 0 ||
			    !model_block_free(&model, r, offset, granules * line))
				diverge("placed %u bytes at %s+%u, which is not a free line-aligned gap (largest %u lines)",
					size, fuzz_regions[r].name, offset, gap);
			return 0;
		}
		if (gap >= model_heap_sure_fit(granules))
			diverge("%s %u bytes although region %s has a free gap of %u lines (%u needed)",
				placed ? "placed elsewhere" : "refused", size, fuzz_regions[r].name, gap, granules);
	}
	if (placed)
		diverge("placed %u bytes in region %s, which does not suit or comes after a sure fit", size,
			fuzz_regions[region].name);
	return suitable ? DMABUF_ENOMEM : DMABUF_EFAULT;
}

/* Judge the placement step inside a call (a move at attach, deferred
 * storage at map or CPU access), whether the call then succeeded or failed
 * later: the model's verdict, and the core's block in *region / *offset if
 * it can be seen (*known): get_info after a success, the first line's cache
 * operation after a failure. */
static int judge_place_step(uint32_t slot, int extra_device, int got, int32_t handle, bool *known,
			    uint32_t *region, uint32_t *offset)
{
	const struct model_buffer *b = &model.buffers[slot];
	*known = false;
	if (got == 0)
		*known = real_placement(handle, region, offset);
	else
		*known = placement_from_cache_log(region, offset);
	if (!*known && got != 0 && got != DMABUF_ENOMEM && got != DMABUF_EFAULT && model.pending_cache_failure == got) {
		/* A whole-cache operation failed: the block is unknown, but the
		 * core found room, which is all the model can demand. */
		return 0;
	}
	return judge_placement(slot, b->size, b->flags, extra_device, *known, *region, *offset);
}

/* ---- semantic coverage ----------------------------------------------------------- */

/*
 * Which (call, state of the buffer it touched, argument, outcome)
 * combinations an input reached. libFuzzer reads these counters like its
 * own edge counters, so an input that reaches a new combination is kept even
 * if it runs no new line of the core: states that only a sequence of calls
 * builds (a coherent device attaching while a clean is owed, a move of
 * storage the CPU wrote) become reachable step by step. Counters outside a
 * libFuzzer build are written and never read.
 */
#if defined(__clang__) && !defined(FUZZ_EDGES_ONLY) /* FUZZ_EDGES_ONLY: corpus minimisation on code edges */
#define EXTRA_COUNTERS __attribute__((used, section("__libfuzzer_extra_counters")))
#else
#define EXTRA_COUNTERS
#endif
static uint8_t semantic_counters[1u << 15] EXTRA_COUNTERS;

enum semantic_call { SEM_EXPORT = 1, SEM_PUT, SEM_ATTACH, SEM_DETACH, SEM_MAP, SEM_UNMAP, SEM_BEGIN, SEM_END };

/* The facts of buffer slot @b the hand-over rules and checks decide on:
 * where it lives (unplaced, uncached, cached), its cache facts, whether the
 * CPU or a device holds it and how, who is attached, whether it may move. */
static uint32_t buffer_signature(int b)
{
	if (b < 0)
		return 0x7FFu;
	const struct model_buffer *buf = &model.buffers[b];
	bool coherent = false, noncoherent = false, device_writes_now = false;
	for (uint32_t i = 0; i < model.max_attachments; i++) {
		const struct model_attachment *a = &model.attachments[i];
		if (a->live && a->buffer == (uint32_t)b) {
			coherent |= fuzz_devices[a->device].coherent != 0;
			noncoherent |= !fuzz_devices[a->device].coherent;
			device_writes_now |= device_writes(a->direction);
		}
	}
	uint32_t where = buf->region < 0 ? 0 : model_cacheable(&model, (uint32_t)b) ? 2 : 1;
	return where | (uint32_t)buf->cache_state << 2 | (uint32_t)(buf->cpu_direction != 0) << 5 |
	       (uint32_t)cpu_writes(buf->cpu_direction) << 6 | (uint32_t)buf->ever_mapped << 7 |
	       (uint32_t)device_writes_now << 8 | (uint32_t)coherent << 9 | (uint32_t)noncoherent << 10;
}

/* Marks a combination reached: one feature each, however often it is hit. */
static void semantic(enum semantic_call call, uint32_t signature, uint32_t detail, int result)
{
	uint32_t h = (uint32_t)call * 0x9E3779B1u ^ signature * 0x85EBCA77u ^ detail * 0xC2B2AE3Du ^
		     (uint32_t)result * 0x27D4EB2Fu;
	h ^= h >> 15;
	semantic_counters[h & (sizeof(semantic_counters) - 1u)] = 1;
}

/* ---- buffers ---------------------------------------------------------------------- */

/* A write access over [offset, offset + length) of @b ended with its clean deferred. */
static void owed_mark(uint32_t b, uint32_t offset, uint32_t length)
{
	for (uint32_t i = offset; i < offset + length; i++) {
		owed_count[b] += !owed_bytes[b][i];
		owed_bytes[b][i] = 1;
	}
}

static void owed_forget(uint32_t b)
{
	memset(owed_bytes[b], 0, sizeof(owed_bytes[b]));
	owed_count[b] = 0;
}

/* One cache operation the core performed: a clean pays for the owed bytes it
 * covers; an invalidate that covers one discards CPU data. */
static void owed_apply(const struct fuzz_cache_op *op)
{
	bool whole = op->kind == FUZZ_CLEAN_ALL || op->kind == FUZZ_CLEAN_INVALIDATE_ALL;
	for (uint32_t b = 0; b < model.max_buffers; b++) {
		const struct model_buffer *buf = &model.buffers[b];
		if (!owed_count[b] || !buf->refcount || buf->region < 0)
			continue;
		uintptr_t cpu = (uintptr_t)model_cpu(&model, b);
		for (uint32_t i = 0; i < buf->size; i++) {
			if (!owed_bytes[b][i] || (!whole && (cpu + i < op->addr || cpu + i - op->addr >= op->size)))
				continue;
			if (op->kind == FUZZ_INVALIDATE) {
				diverge("an invalidate of %p+%zu discards byte %u of buffer '%s', written by the CPU while its clean was deferred",
					(void *)op->addr, op->size, i, buf->name);
				return;
			}
			owed_bytes[b][i] = 0;
			owed_count[b]--;
		}
	}
}

static void check_owed_bytes(void)
{
	for (uint32_t i = 0; i < fuzz_cache.count && i < FUZZ_CACHE_LOG; i++)
		if (i > 0 || !cache_failure_armed)
			owed_apply(&fuzz_cache.log[i]);
}

static void buffer_died(uint32_t slot, int32_t handle)
{
	struct model_buffer *b = &model.buffers[slot];
	owed_forget(slot);
	if (b->region >= 0) {
		fuzz_memory_free(model_cpu(&model, slot), b->size);
		model_unplace(&model, slot);
	}
	if (model.resv_bound)
		model_resv_clear(&model, slot);
	b->refcount = 0;
	b->generation = model_next_generation(b->generation);
	model_slots_give(&model.free_buffers, (uint16_t)slot);
	model_remember_dead(&model, handle);
	cpu_view[slot] = NULL;
}

static void do_export(uint32_t size, const char *name, uint32_t flags, bool out_null)
{
	int32_t handle = 0;
	int got = dmabuf_export(ctx, size, name, flags, out_null ? NULL : &handle);
	semantic(SEM_EXPORT, model.free_buffers.count > 0, flags & 3u, got);
	uint16_t slot = model_slots_front(&model.free_buffers);
	int want = 0;
	uint32_t region = 0, offset = 0;
	if (out_null) {
		want = DMABUF_EINVAL;
		model_expect_message(&model, FUZZ_SINK_CTX);
	} else if (size == 0 || (flags & ~(DMABUF_EXPORT_PREFER_UNCACHED | DMABUF_EXPORT_DEFER_PLACEMENT))) {
		want = DMABUF_EINVAL;
	} else if (model.free_buffers.count == 0) {
		want = DMABUF_ENOMEM;
	} else if (flags & DMABUF_EXPORT_DEFER_PLACEMENT) {
		/* Refused at once if no region could ever hold it. */
		if (size > fuzz_regions[FUZZ_PSRAM].size) {
			model.failed++;
			want = DMABUF_ENOMEM;
		}
	} else {
		bool placed = got == 0 && real_placement(handle, &region, &offset);
		want = judge_placement(slot, size, flags, -1, placed, region, offset);
		model.failed += want == DMABUF_ENOMEM;
	}
	if (want && !out_null)
		model_expect_message(&model, FUZZ_SINK_CTX);
	EXPECT_EQ(got, want, "dmabuf_export");
	if (want)
		return;
	EXPECT_EQ(handle, model_buffer_handle(&model, slot), "dmabuf_export handle");
	struct model_buffer *b = &model.buffers[slot];
	model_slots_take(&model.free_buffers);
	uint16_t generation = b->generation;
	memset(b, 0, sizeof(*b));
	b->generation = generation;
	b->refcount = 1;
	b->size = size;
	b->flags = flags;
	b->region = -1;
	for (size_t i = 0; name && name[i] && i < DMABUF_NAME_MAX - 1; i++)
		b->name[i] = name[i];
	if (!(flags & DMABUF_EXPORT_DEFER_PLACEMENT)) {
		model_place(&model, slot, region, offset);
		fuzz_memory_live(model_cpu(&model, slot), size);
	}
}

static void do_get(int32_t handle)
{
	int got = dmabuf_get(ctx, handle);
	int b = model_buffer_lookup(&model, handle);
	if (b < 0)
		model_expect_message(&model, FUZZ_SINK_CTX);
	EXPECT_EQ(got, b < 0 ? DMABUF_EBADF : 0, "dmabuf_get");
	if (b >= 0)
		model.buffers[b].refcount++;
}

static void do_put(int32_t handle)
{
	int got = dmabuf_put(ctx, handle);
	int b = model_buffer_lookup(&model, handle);
	semantic(SEM_PUT, buffer_signature(b), 0, got);
	int want = 0;
	if (handle == 0)
		want = 0;
	else if (b < 0)
		want = DMABUF_EBADF;
	else if (model.buffers[b].refcount == 1 &&
		 (model_attachment_count(&model, (uint32_t)b) > 0 || model.buffers[b].cpu_direction))
		want = DMABUF_EBUSY;
	if (want)
		model_expect_message(&model, FUZZ_SINK_CTX);
	else if (b >= 0 && --model.buffers[b].refcount == 0)
		buffer_died((uint32_t)b, handle);
	EXPECT_EQ(got, want, "dmabuf_put");
}

/* ---- attachments -------------------------------------------------------------------- */

/*
 * The bytes of region @r outside every live buffer's [cpu, cpu + size), one
 * span per call: start with *at = 0; each call sets [*start, *start +
 * *length) and moves *at past the buffer that ends the span. False when the
 * region is done.
 */
static bool next_free_span(uint32_t r, uint32_t *at, uint32_t *start, uint32_t *length)
{
	if (*at > fuzz_regions[r].size)
		return false;
	uint32_t next = fuzz_regions[r].size, end = next + 1u;
	for (uint32_t i = 0; i < model.max_buffers; i++) {
		const struct model_buffer *b = &model.buffers[i];
		if (b->refcount && b->region == (int32_t)r && b->offset >= *at && b->offset < next) {
			next = b->offset;
			end = b->offset + b->size;
		}
	}
	*start = *at;
	*length = next - *at;
	*at = end;
	return true;
}

/* Canary (and poison) every byte outside the live buffers again. */
static void recanary_free_memory(void)
{
	for (uint32_t r = 0; r < FUZZ_REGION_COUNT; r++)
		for (uint32_t at = 0, start, length; next_free_span(r, &at, &start, &length);)
			fuzz_memory_free((uint8_t *)fuzz_region_memory[r] + start, length);
}

/* Rule 7: the move copied the bytes through the CPU; clean the destination. */
static int migrate(uint32_t b, uint32_t device, int got)
{
	struct model_buffer *buf = &model.buffers[b];
	uint32_t new_region = 0, new_offset = 0;
	bool known;
	/* The new block: reported by get_info on success, by the cache log if
	 * the clean of the destination failed. */
	int want = judge_place_step(b, (int)device, got, model_buffer_handle(&model, b), &known, &new_region,
				    &new_offset);
	if (want) {
		model.failed += want == DMABUF_ENOMEM;
		return want;
	}
	uint32_t old_region = (uint32_t)buf->region, old_offset = buf->offset;
	uint8_t *old_cpu = model_cpu(&model, b);
	uint32_t old_padded = model_padded(&model, b);
	if (!known) {
		/* Only a failed whole-cache clean hides the block, and the core
		 * copied the bytes into it before giving it back. */
		want = model.pending_cache_failure;
		model.pending_cache_failure = 0;
		model.expect_cache[model.expect_cache_count++] = (struct fuzz_cache_op){ FUZZ_CLEAN_ALL, 0, 0, 0 };
		recanary_free_memory();
		return want;
	}
	/* Both blocks are allocated at once during the copy. */
	uint32_t peak = model.peak;
	buf->region = (int32_t)new_region;
	buf->offset = new_offset;
	uint32_t new_padded = model_padded(&model, b);
	if (model.in_use + new_padded > model.peak)
		model.peak = model.in_use + new_padded;
	int err = model_cacheable(&model, b) ? model_cache_op(&model, b, true, 0, buf->size) : 0;
	if (err) {
		/* A failed move leaves no trace, the heap's peak included; only
		 * the copy stays behind in the block it gave back (free storage
		 * holds anything: its next owner starts from "may be dirty"). */
		fuzz_memory_free(model_cpu(&model, b), buf->size);
		buf->region = (int32_t)old_region;
		buf->offset = old_offset;
		model.peak = peak;
		return err;
	}
	model.in_use = model.in_use - old_padded + new_padded;
	buf->cache_state = 0;
	fuzz_memory_free(old_cpu, buf->size);
	fuzz_memory_live(model_cpu(&model, b), buf->size);
	return 0;
}

static void do_attach(int32_t handle, int device, bool out_null)
{
	int32_t att = 0;
	/* A move copies into a block the fuzzer cannot know before. */
	fuzz_memory_unpoison_all();
	int got = dmabuf_attach(ctx, handle, device, out_null ? NULL : &att);
	repoison();
	int b = model_buffer_lookup(&model, handle);
	semantic(SEM_ATTACH, buffer_signature(b), device >= 0 && device < FUZZ_DEVICE_COUNT ? (uint32_t)device : 15u, got);
	uint16_t slot = model_slots_front(&model.free_attachments);
	int want = 0;
	if (out_null) {
		model_expect_message(&model, FUZZ_SINK_CTX);
		EXPECT_EQ(got, DMABUF_EINVAL, "dmabuf_attach");
		return;
	}
	if (b < 0) {
		want = DMABUF_EBADF;
	} else if (device < 0 || device >= FUZZ_DEVICE_COUNT) {
		want = DMABUF_EINVAL;
	} else if (model_attached(&model, (uint32_t)b, (uint32_t)device)) {
		want = DMABUF_EEXIST;
	} else if (model.free_attachments.count == 0) {
		want = DMABUF_ENOMEM;
	} else if (fuzz_devices[device].max_segments &&
		   model_segment_count((uint32_t)device, model.buffers[b].size) > fuzz_devices[device].max_segments) {
		want = DMABUF_EFAULT;
	} else if (model.buffers[b].region >= 0) {
		struct model_buffer *buf = &model.buffers[b];
		if (model_device_reaches((uint32_t)device, model_dma(&model, (uint32_t)b), model_padded(&model, (uint32_t)b)))
			want = 0;
		else if (buf->ever_mapped)
			want = DMABUF_EFAULT;
		else if (buf->cpu_direction)
			want = DMABUF_EBUSY;
		else
			want = migrate((uint32_t)b, (uint32_t)device, got);
	} else {
		bool suits = false;
		for (uint32_t r = 0; r < FUZZ_REGION_COUNT; r++)
			suits |= model_region_suits(&model, (uint32_t)b, r, device);
		want = suits ? 0 : DMABUF_EFAULT;
	}
	/* Rule 6: the owed clean is paid by the first non-coherent device. */
	if (want == 0 && !fuzz_devices[device].coherent && (model.buffers[b].cache_state & MODEL_OWED)) {
		want = model_cache_op(&model, (uint32_t)b, true, 0, model.buffers[b].size);
		if (!want)
			model.buffers[b].cache_state &= (uint8_t)~(MODEL_OWED | MODEL_DIRTY);
	}
	if (want)
		model_expect_message(&model, FUZZ_SINK_CTX);
	EXPECT_EQ(got, want, "dmabuf_attach");
	if (want)
		return;
	EXPECT_EQ(att, model_attachment_handle(&model, slot), "dmabuf_attach handle");
	model_slots_take(&model.free_attachments);
	struct model_attachment *a = &model.attachments[slot];
	uint16_t generation = a->generation;
	memset(a, 0, sizeof(*a));
	a->generation = generation;
	a->live = true;
	a->buffer = (uint16_t)b;
	a->device = (uint16_t)device;
	a->attached_at = model.attaches++;
}

static void do_detach(int32_t handle)
{
	int got = dmabuf_detach(ctx, handle);
	int a = model_attachment_lookup(&model, handle);
	semantic(SEM_DETACH, buffer_signature(a < 0 ? -1 : model.attachments[a].buffer), 0, got);
	int want = a < 0 ? DMABUF_EBADF : model.attachments[a].direction ? DMABUF_EBUSY : 0;
	if (want)
		model_expect_message(&model, FUZZ_SINK_CTX);
	EXPECT_EQ(got, want, "dmabuf_detach");
	if (want)
		return;
	model.attachments[a].live = false;
	model.attachments[a].generation = model_next_generation(model.attachments[a].generation);
	model_slots_give(&model.free_attachments, (uint16_t)a);
	model_remember_dead(&model, handle);
}

/* ---- placement inside map / begin_cpu_access ------------------------------------- */

/* Place deferred storage inside a call (map, begin_cpu_access): 0 and the
 * model placed, or the error (reported). *placed_here: the call placed it. */
static int place_in_call(uint32_t b, int got, bool *placed_here)
{
	*placed_here = false;
	if (model.buffers[b].region >= 0)
		return 0;
	uint32_t region = 0, offset = 0;
	bool known;
	int want = judge_place_step(b, -1, got, model_buffer_handle(&model, b), &known, &region, &offset);
	if (want) {
		model.failed += want == DMABUF_ENOMEM;
		return want;
	}
	if (!known)
		return 1; /* placed at an unknown block, then a whole-cache op failed */
	model_place(&model, b, region, offset);
	*placed_here = true;
	return 0;
}

/* ---- mappings ---------------------------------------------------------------------- */

static int map_model(int a, uint32_t direction, int got)
{
	struct model_attachment *att = &model.attachments[a];
	uint32_t b = att->buffer;
	struct model_buffer *buf = &model.buffers[b];
	const struct dmabuf_device_desc *dev = &fuzz_devices[att->device];
	if (!direction_valid(direction))
		return DMABUF_EINVAL;
	if (att->direction)
		return DMABUF_EEXIST;
	/* cpu-owns: an open access conflicts if either side writes. */
	if (model.checker && buf->cpu_direction && (cpu_writes(buf->cpu_direction) || device_writes(direction)))
		return DMABUF_EBUSY;
	bool placed_here;
	uint32_t peak = model.peak;
	int err = place_in_call(b, got, &placed_here);
	if (err == 1) {
		/* Rule 1 failed on a whole-cache op at a block the fuzzer cannot see. */
		err = model.pending_cache_failure;
		model.pending_cache_failure = 0;
		model.expect_cache[model.expect_cache_count++] =
			(struct fuzz_cache_op){ FUZZ_CLEAN_INVALIDATE_ALL, 0, 0, 0 };
		return err;
	}
	if (err)
		return err;
	/* Rules 1 and 2. */
	if (model_cacheable(&model, b) && !dev->coherent && device_writes(direction)) {
		if (buf->cache_state & MODEL_DIRTY) {
			err = model_cache_op(&model, b, false, 0, buf->size);
			if (err) {
				/* Storage placed here goes back, and the peak forgets it. */
				if (placed_here)
					model_unplace(&model, b);
				model.peak = peak;
				return err;
			}
			buf->cache_state &= (uint8_t)~MODEL_DIRTY;
		}
		buf->cache_state |= MODEL_STALE;
	}
	if (!att->memo_valid) {
		att->memo_valid = true;
		att->memo.dma_addr = model_dma(&model, b);
		att->memo.length = buf->size;
		att->memo.segment_bytes = model_segment_bytes(att->device);
		att->memo.segment_count = model_segment_count(att->device, buf->size);
	}
	bool was = model_device_owned(&model, b);
	att->direction = direction;
	att->memo.direction = direction;
	model_ownership_changed(&model, b, was);
	buf->ever_mapped = true;
	if (placed_here)
		fuzz_memory_live(model_cpu(&model, b), buf->size);
	return 0;
}

static void do_map(int32_t handle, uint32_t direction, bool out_null)
{
	struct dmabuf_mapping out;
	memset(&out, 0xEE, sizeof(out));
	int got = dmabuf_map(ctx, handle, (enum dmabuf_direction)direction, out_null ? NULL : &out);
	int a = model_attachment_lookup(&model, handle);
	semantic(SEM_MAP, buffer_signature(a < 0 ? -1 : model.attachments[a].buffer),
		 (direction & 3u) | (a < 0 ? 0u : fuzz_devices[model.attachments[a].device].coherent) << 2, got);
	int want;
	if (out_null) {
		model_expect_message(&model, FUZZ_SINK_CTX);
		EXPECT_EQ(got, DMABUF_EINVAL, "dmabuf_map");
		return;
	}
	if (a < 0) {
		want = DMABUF_EBADF;
		model_expect_message(&model, FUZZ_SINK_CTX);
	} else if (model.resv_bound && direction_valid(direction) &&
		   (want = model_resv_implicit(&model, model.attachments[a].buffer, device_writes(direction))) != 0) {
		/* The implicit sync runs before anything else (and reports itself). */
	} else {
		want = map_model(a, direction, got);
		if (want)
			model_expect_message(&model, FUZZ_SINK_CTX);
	}
	EXPECT_EQ(got, want, "dmabuf_map");
	if (want)
		return;
	const struct dmabuf_mapping *memo = &model.attachments[a].memo;
	EXPECT_EQ(out.dma_addr, memo->dma_addr, "mapping dma_addr");
	EXPECT_EQ(out.length, memo->length, "mapping length");
	EXPECT_EQ(out.segment_bytes, memo->segment_bytes, "mapping segment_bytes");
	EXPECT_EQ(out.segment_count, memo->segment_count, "mapping segment_count");
	EXPECT_EQ(out.direction, memo->direction, "mapping direction");
	model.attachments[a].last = out;
}

static void do_unmap(int32_t handle, const struct dmabuf_mapping *mapping, uint32_t direction)
{
	int got = dmabuf_unmap(ctx, handle, mapping, (enum dmabuf_direction)direction);
	int a = model_attachment_lookup(&model, handle);
	semantic(SEM_UNMAP, buffer_signature(a < 0 ? -1 : model.attachments[a].buffer), direction & 3u, got);
	int want = 0;
	if (!mapping) {
		model_expect_message(&model, FUZZ_SINK_CTX);
		EXPECT_EQ(got, DMABUF_EINVAL, "dmabuf_unmap");
		return;
	}
	struct model_attachment *att = a >= 0 ? &model.attachments[a] : NULL;
	if (!att)
		want = DMABUF_EBADF;
	else if (!direction_valid(direction))
		want = DMABUF_EINVAL;
	else if (!att->direction || direction != att->direction ||
		 memcmp(mapping, &att->memo, sizeof(*mapping)) != 0)
		want = DMABUF_EPERM;
	if (want)
		model_expect_message(&model, FUZZ_SINK_CTX);
	EXPECT_EQ(got, want, "dmabuf_unmap");
	if (want)
		return;
	bool was = model_device_owned(&model, att->buffer);
	att->direction = 0;
	att->memo.direction = 0;
	model_ownership_changed(&model, att->buffer, was);
}

/* ---- CPU access ------------------------------------------------------------------- */

/* [offset, offset + *length) of a buffer of @size bytes, DMABUF_WHOLE resolved. */
static int resolve_range(uint32_t size, uint32_t offset, uint32_t *length)
{
	if (*length == 0)
		return DMABUF_EINVAL;
	if (*length == DMABUF_WHOLE) {
		if (offset >= size)
			return DMABUF_ERANGE;
		*length = size - offset;
		return 0;
	}
	return (uint64_t)offset + *length > size ? DMABUF_ERANGE : 0;
}

static int begin_model(uint32_t b, uint32_t direction, uint32_t offset, uint32_t length, int got)
{
	struct model_buffer *buf = &model.buffers[b];
	if (!direction_valid(direction))
		return DMABUF_EINVAL;
	int err = resolve_range(buf->size, offset, &length);
	if (err)
		return err;
	if (buf->cpu_direction)
		return DMABUF_EBUSY;
	if (model.checker)
		for (uint32_t i = 0; i < model.max_attachments; i++)
			if (model.attachments[i].live && model.attachments[i].buffer == b &&
			    device_writes(model.attachments[i].direction))
				return DMABUF_EBUSY;
	bool placed_here;
	err = place_in_call(b, got, &placed_here);
	if (err == 1)
		diverge("begin_cpu_access failed a cache operation on storage it just placed");
	if (err)
		return err;
	/* Rule 4, whatever the direction; lines whose clean is owed (rule 5
	 * deferred it) are cleaned before they are invalidated. */
	if (model_cacheable(&model, b) && (buf->cache_state & MODEL_STALE)) {
		err = buf->cache_state & MODEL_OWED ? model_cache_clean_invalidate(&model, b, offset, length)
						    : model_cache_op(&model, b, false, offset, length);
		if (err) {
			if (placed_here)
				model_unplace(&model, b);
			return err;
		}
		if (offset == 0 && length == buf->size)
			buf->cache_state &= (uint8_t)~(MODEL_STALE | MODEL_DIRTY | MODEL_OWED);
	}
	bool was = model_device_owned(&model, b);
	buf->cpu_direction = (uint8_t)direction;
	buf->cpu_offset = offset;
	buf->cpu_length = length;
	model_ownership_changed(&model, b, was);
	if (placed_here)
		fuzz_memory_live(model_cpu(&model, b), buf->size);
	return 0;
}

static void do_begin_cpu(int32_t handle, uint32_t direction, uint32_t offset, uint32_t length, bool cpu_null)
{
	void *cpu = NULL;
	int got = dmabuf_begin_cpu_access(ctx, handle, (enum dmabuf_direction)direction, offset, length,
					  cpu_null ? NULL : &cpu);
	int b = model_buffer_lookup(&model, handle);
	semantic(SEM_BEGIN, buffer_signature(b), (direction & 3u) | (offset == 0) << 2 | (length == DMABUF_WHOLE) << 3, got);
	int want;
	if (cpu_null) {
		model_expect_message(&model, FUZZ_SINK_CTX);
		EXPECT_EQ(got, DMABUF_EINVAL, "dmabuf_begin_cpu_access");
		return;
	}
	uint32_t resolved = length;
	if (b < 0) {
		want = DMABUF_EBADF;
		model_expect_message(&model, FUZZ_SINK_CTX);
	} else if (model.resv_bound && direction_valid(direction) &&
		   resolve_range(model.buffers[b].size, offset, &resolved) == 0 &&
		   (want = model_resv_implicit(&model, (uint32_t)b, cpu_writes(direction))) != 0) {
		/* implicit sync right after the argument checks */
	} else {
		want = begin_model((uint32_t)b, direction, offset, length, got);
		if (want)
			model_expect_message(&model, FUZZ_SINK_CTX);
	}
	EXPECT_EQ(got, want, "dmabuf_begin_cpu_access");
	if (want) {
		if (cpu != NULL)
			diverge("failed begin_cpu_access wrote a CPU pointer");
		return;
	}
	if ((uint8_t *)cpu != model_cpu(&model, (uint32_t)b) + offset)
		diverge("CPU view %p, model %p", cpu, (void *)(model_cpu(&model, (uint32_t)b) + offset));
	cpu_view[b] = cpu;
}

static void do_end_cpu(int32_t handle, uint32_t direction, uint32_t offset, uint32_t length)
{
	int got = dmabuf_end_cpu_access(ctx, handle, (enum dmabuf_direction)direction, offset, length);
	int b = model_buffer_lookup(&model, handle);
	semantic(SEM_END, buffer_signature(b), direction & 3u, got);
	int want = 0;
	struct model_buffer *buf = b >= 0 ? &model.buffers[b] : NULL;
	if (!buf)
		want = DMABUF_EBADF;
	else if (!direction_valid(direction))
		want = DMABUF_EINVAL;
	else if ((want = resolve_range(buf->size, offset, &length)) != 0)
		;
	else if (!buf->cpu_direction)
		want = DMABUF_EPERM;
	else if (direction != buf->cpu_direction || offset != buf->cpu_offset || length != buf->cpu_length)
		want = DMABUF_EPERM;
	else if (model_cacheable(&model, (uint32_t)b) && cpu_writes(direction)) {
		/* Rule 5: with only coherent devices attached, the clean is owed. */
		uint32_t attached = 0, coherent = 0;
		for (uint32_t i = 0; i < model.max_attachments; i++) {
			if (model.attachments[i].live && model.attachments[i].buffer == (uint32_t)b) {
				attached++;
				coherent += fuzz_devices[model.attachments[i].device].coherent;
			}
		}
		if (attached && attached == coherent) {
			buf->cache_state |= MODEL_OWED;
			owed_mark((uint32_t)b, offset, length);
		} else {
			want = model_cache_op(&model, (uint32_t)b, true, offset, length);
			if (!want && offset == 0 && length == buf->size)
				buf->cache_state &= (uint8_t)~MODEL_DIRTY;
		}
	}
	if (want)
		model_expect_message(&model, FUZZ_SINK_CTX);
	EXPECT_EQ(got, want, "dmabuf_end_cpu_access");
	if (want)
		return;
	if (model.resv_bound && cpu_writes(direction) && offset == 0 && length == buf->size)
		model_resv_cpu_rewrote(&model, (uint32_t)b);
	bool was = model_device_owned(&model, (uint32_t)b);
	buf->cpu_direction = 0;
	model_ownership_changed(&model, (uint32_t)b, was);
	cpu_view[b] = NULL;
}

/* ---- bytes through CPU views and DMA ------------------------------------------- */

static uint8_t pattern(uint32_t seed, uint32_t i)
{
	uint32_t x = seed * 2654435761u + i * 40503u;
	return (uint8_t)(x >> 24);
}

/* The CPU writes into its open window (only in accesses that may write). */
static void cpu_write(uint32_t b, uint32_t from, uint32_t count, uint32_t seed)
{
	struct model_buffer *buf = &model.buffers[b];
	uint8_t *view = cpu_view[b];
	for (uint32_t i = 0; i < count; i++) {
		view[from + i] = pattern(seed, i);
		model.bytes[b][buf->cpu_offset + from + i] = pattern(seed, i);
		model.known[b][buf->cpu_offset + from + i] = 1;
	}
}

/* The window shows what the model knows. */
static void cpu_read(uint32_t b)
{
	const struct model_buffer *buf = &model.buffers[b];
	const uint8_t *view = cpu_view[b];
	for (uint32_t i = 0; i < buf->cpu_length; i++) {
		uint32_t at = buf->cpu_offset + i;
		if (model.known[b][at] && view[i] != model.bytes[b][at])
			diverge("buffer '%s' byte %u reads 0x%02x through the CPU view, model 0x%02x", buf->name, at,
				view[i], model.bytes[b][at]);
	}
}

/* A device moves bytes over its mapping's segments: they must tile the
 * buffer exactly, in windows it reaches, within its limits. */
static void dma_transfer(uint32_t a, uint32_t seed)
{
	const struct model_attachment *att = &model.attachments[a];
	const struct dmabuf_mapping *m = &att->last;
	const struct dmabuf_device_desc *dev = &fuzz_devices[att->device];
	uint32_t b = att->buffer;
	dmabuf_addr_t expect = m->dma_addr;
	for (uint32_t s = 0; s < m->segment_count; s++) {
		dmabuf_addr_t addr;
		uint32_t length;
		dmabuf_mapping_segment(m, s, &addr, &length);
		bool last = s + 1 == m->segment_count;
		if (addr != expect || length == 0 || length > dev->max_segment_bytes || (!last && length % dev->align) ||
		    !model_device_reaches(att->device, addr, length))
			diverge("segment %u (0x%x+%u) of device '%s' breaks its limits or the tiling", s, addr, length,
				dev->name);
		uint8_t *cpu = fuzz_bus_to_cpu(addr, length);
		uint32_t at = addr - m->dma_addr;
		if (!cpu || (uint64_t)at + length > model.buffers[b].size)
			diverge("segment %u (0x%x+%u) reaches outside buffer '%s'", s, addr, length, model.buffers[b].name);
		for (uint32_t i = 0; i < length; i++) {
			if (device_writes(att->direction)) {
				cpu[i] = pattern(seed, at + i);
				model.bytes[b][at + i] = pattern(seed, at + i);
				model.known[b][at + i] = 1;
			} else if (model.known[b][at + i] && cpu[i] != model.bytes[b][at + i]) {
				diverge("device '%s' reads 0x%02x at byte %u of buffer '%s', model 0x%02x", dev->name, cpu[i],
					at + i, model.buffers[b].name, model.bytes[b][at + i]);
			}
		}
		expect = addr + length;
	}
	if (expect - m->dma_addr != model.buffers[b].size)
		diverge("segments of device '%s' cover %u bytes of a %u-byte buffer", dev->name, expect - m->dma_addr,
			model.buffers[b].size);
}

/* ---- fences ---------------------------------------------------------------------- */

static void do_fence_create(uint32_t context, uint32_t seqno, bool out_null)
{
	dmabuf_fence_t fence = 0;
	int got = dmabuf_fence_create(pool, context, seqno, out_null ? NULL : &fence);
	int32_t want_fence = 0;
	int want = model_fence_create(&model, context, seqno, out_null ? NULL : &want_fence);
	EXPECT_EQ(got, want, "dmabuf_fence_create");
	if (!want)
		EXPECT_EQ(fence, want_fence, "dmabuf_fence_create handle");
}

static void do_fence_put(int32_t fence)
{
	int got = dmabuf_fence_put(pool, fence);
	int32_t live_before = model_fence_lookup(&model, fence);
	int want = model_fence_put(&model, fence);
	EXPECT_EQ(got, want, "dmabuf_fence_put");
	if (live_before >= 0 && model_fence_lookup(&model, fence) < 0)
		model_remember_dead(&model, fence);
}

static void do_fence_signal(int32_t fence, int error)
{
	int got = error ? dmabuf_fence_signal_error(pool, fence, error) : dmabuf_fence_signal(pool, fence);
	int want;
	if (error > 0 || error == DMABUF_EBADF) {
		model_expect_message(&model, FUZZ_SINK_POOL);
		want = DMABUF_EINVAL;
	} else {
		want = model_fence_signal(&model, fence, error ? error : 1);
	}
	EXPECT_EQ(got, want, error ? "dmabuf_fence_signal_error" : "dmabuf_fence_signal");
}

static void do_fence_wait(int32_t fence, uint32_t timeout_us)
{
	int got = dmabuf_fence_wait(pool, fence, timeout_us);
	bool live = model_fence_lookup(&model, fence) >= 0;
	int status = model_fence_status_quiet(&model, fence);
	int want = !live ? DMABUF_EBADF : status == 0 ? DMABUF_ETIMEDOUT : status == 1 ? 0 : status;
	if (!live)
		model_expect_message(&model, FUZZ_SINK_POOL);
	EXPECT_EQ(got, want, "dmabuf_fence_wait");
}

static void do_fence_add_callback(uint32_t index, int32_t fence, enum model_callback_kind kind, int32_t other,
				  bool null_func)
{
	struct model_callback *mc = &model.callbacks[index];
	if (mc->fence_slot >= 0)
		return; /* still registered: re-adding it is the caller's bug, not an input */
	mc->kind = kind;
	mc->other = other;
	/* A callback that drops a reference owns one. */
	bool owns = kind == MODEL_CB_PUT_SELF;
	if (owns) {
		int got_ref = dmabuf_fence_get(pool, fence);
		EXPECT_EQ(got_ref, model_fence_get(&model, fence), "dmabuf_fence_get (callback's reference)");
		if (got_ref)
			return;
	}
	int got = dmabuf_fence_add_callback(pool, fence, &callbacks[index].cb, null_func ? NULL : fence_callback,
					    &callbacks[index]);
	int slot = model_fence_lookup(&model, fence);
	int want;
	if (null_func) {
		want = DMABUF_EINVAL;
		model_expect_message(&model, FUZZ_SINK_POOL);
	} else if (slot < 0) {
		want = DMABUF_EBADF;
		model_expect_message(&model, FUZZ_SINK_POOL);
	} else if (model.fences[slot].status != 0) {
		want = DMABUF_EEXIST; /* an outcome, not misuse: no message */
	} else {
		want = 0;
		struct model_fence *f = &model.fences[slot];
		f->callbacks[f->callback_count++] = (uint8_t)index;
		mc->fence_slot = slot;
	}
	EXPECT_EQ(got, want, "dmabuf_fence_add_callback");
	if (want && owns)
		do_fence_put(fence);
}

static void do_fence_remove_callback(uint32_t index, int32_t fence)
{
	int got = dmabuf_fence_remove_callback(pool, fence, &callbacks[index].cb);
	int slot = model_fence_lookup(&model, fence);
	struct model_callback *mc = &model.callbacks[index];
	int want = DMABUF_ENOENT;
	if (slot < 0) {
		want = DMABUF_EBADF;
		model_expect_message(&model, FUZZ_SINK_POOL);
	} else if (mc->fence_slot == slot) {
		struct model_fence *f = &model.fences[slot];
		uint32_t kept = 0;
		for (uint32_t i = 0; i < f->callback_count; i++)
			if (f->callbacks[i] != index)
				f->callbacks[kept++] = f->callbacks[i];
		f->callback_count = kept;
		mc->fence_slot = -1;
		want = 0;
	}
	EXPECT_EQ(got, want, "dmabuf_fence_remove_callback");
	if (want == 0 && mc->kind == MODEL_CB_PUT_SELF)
		do_fence_put(fence); /* the reference the callback owned */
}

/* ---- reservations ---------------------------------------------------------------- */

/* A call on a NULL (never initialised) or dead (deinitialised) table: -EINVAL
 * on the fallback sink, nothing else (true: the call is done). */
static bool resv_refused(int got, const char *what)
{
	if (model.resv_bound)
		return false;
	model_expect_message(&model, FUZZ_SINK_FALLBACK);
	EXPECT_EQ(got, DMABUF_EINVAL, what);
	return true;
}

static void do_resv_add(int32_t buffer, int32_t fence, uint32_t direction, int how)
{
	/* how: 0 exclusive, 1 shared, 2 attach_job(direction) */
	static const char *const names[] = { "dmabuf_resv_add_exclusive", "dmabuf_resv_add_shared",
					     "dmabuf_resv_attach_job" };
	int got = how == 0 ? dmabuf_resv_add_exclusive(resv, buffer, fence)
		: how == 1 ? dmabuf_resv_add_shared(resv, buffer, fence)
			   : dmabuf_resv_attach_job(resv, buffer, (enum dmabuf_direction)direction, fence);
	if (resv_refused(got, names[how]))
		return;
	int want = 0;
	int b = model_buffer_lookup(&model, buffer);
	bool exclusive = how == 0 || (how == 2 && device_writes(direction));
	if (how == 2 && !direction_valid(direction)) {
		want = DMABUF_EINVAL;
	} else if (b < 0) {
		want = DMABUF_EBADF;
	} else if (exclusive) {
		if (!model_fence_try_get(&model, fence)) {
			want = DMABUF_EBADF;
		} else {
			/* The writer is ordered after every fence in the set. */
			model_resv_clear(&model, (uint32_t)b);
			model.buffers[b].exclusive = fence;
		}
	} else {
		struct model_buffer *buf = &model.buffers[b];
		model_resv_prune(&model, (uint32_t)b);
		for (uint32_t i = 0; i < buf->shared_count && !want; i++)
			if (buf->shared[i] == fence)
				want = DMABUF_EEXIST;
		if (!want && buf->shared_count == DMABUF_RESV_MAX_SHARED)
			want = DMABUF_ENOMEM;
		if (!want && !model_fence_try_get(&model, fence))
			want = DMABUF_EBADF;
		if (!want)
			buf->shared[buf->shared_count++] = fence;
	}
	if (want)
		model_expect_message(&model, FUZZ_SINK_CTX);
	EXPECT_EQ(got, want, names[how]);
}

static void do_resv_info(int32_t buffer, bool out_null)
{
	struct dmabuf_resv_info info;
	memset(&info, 0xEE, sizeof(info));
	int got = dmabuf_resv_get_info(resv, buffer, out_null ? NULL : &info);
	if (resv_refused(got, "dmabuf_resv_get_info"))
		return;
	int b = model_buffer_lookup(&model, buffer);
	int want = out_null ? DMABUF_EINVAL : b < 0 ? DMABUF_EBADF : 0;
	if (want)
		model_expect_message(&model, FUZZ_SINK_CTX);
	EXPECT_EQ(got, want, "dmabuf_resv_get_info");
	if (want)
		return;
	model_resv_prune(&model, (uint32_t)b);
	const struct model_buffer *buf = &model.buffers[b];
	EXPECT_EQ(info.exclusive, buf->exclusive, "resv exclusive");
	EXPECT_EQ(info.shared_count, buf->shared_count, "resv shared_count");
	for (uint32_t i = 0; i < buf->shared_count && i < DMABUF_RESV_MAX_SHARED; i++)
		EXPECT_EQ(info.shared[i], buf->shared[i], "resv shared fence");
	EXPECT_EQ(info.implicit_sync, !buf->explicit_sync, "resv implicit_sync");
}

/* ---- frame queue ------------------------------------------------------------------ */

static void check_frame(const struct dmabuf_queue_frame *frame, uint32_t index, bool acquired)
{
	const struct model_frame *mf = &model.queue.frames[index];
	EXPECT_EQ(frame->index, index, "frame index");
	EXPECT_EQ(frame->buffer, mf->buffer, "frame buffer");
	if (!acquired)
		return;
	EXPECT_EQ(frame->sequence, mf->sequence, "frame sequence");
	if (mf->timestamp_known)
		EXPECT_EQ(frame->timestamp_us, mf->timestamp_us, "frame timestamp");
}

static void do_queue_take(bool producer, bool out_null)
{
	struct dmabuf_queue_frame frame;
	int got = producer ? dmabuf_queue_dequeue(queue, 0, out_null ? NULL : &frame)
			   : dmabuf_queue_acquire(queue, 0, out_null ? NULL : &frame);
	uint32_t index = 0;
	int want;
	if (model_queue_refused(&model)) {
		want = DMABUF_EINVAL; /* the object is checked before the pointers */
	} else if (out_null) {
		want = DMABUF_EINVAL;
		model_expect_message(&model, FUZZ_SINK_QUEUE);
	} else {
		want = producer ? model_queue_dequeue(&model, &index) : model_queue_acquire(&model, &index);
	}
	EXPECT_EQ(got, want, producer ? "dmabuf_queue_dequeue" : "dmabuf_queue_acquire");
	if (!want)
		check_frame(&frame, index, !producer);
}

static void do_queue_give(uint32_t index, uint32_t from, uint32_t to, uint64_t timestamp_us)
{
	int got = to == DMABUF_FRAME_READY ? dmabuf_queue_enqueue(queue, index, timestamp_us)
		: from == DMABUF_FRAME_PRODUCING ? dmabuf_queue_cancel(queue, index)
						 : dmabuf_queue_release(queue, index);
	int want = model_queue_give(&model, index, from, to, timestamp_us, timestamp_us != DMABUF_QUEUE_TIME_NOW);
	EXPECT_EQ(got, want, "dmabuf_queue_enqueue/cancel/release");
}

static void do_queue_close(void)
{
	int got = dmabuf_queue_close(queue);
	EXPECT_EQ(got, model_queue_close(&model), "dmabuf_queue_close");
}

static void do_queue_deinit(void)
{
	int got = dmabuf_queue_deinit(queue);
	EXPECT_EQ(got, model_queue_deinit(&model), "dmabuf_queue_deinit");
}

static uint32_t model_live_buffers_count(void)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < model.max_buffers; i++)
		n += model.buffers[i].refcount > 0;
	return n;
}

/* ---- the calls, as picked from the input ------------------------------------------ */

static void op_export(void)
{
	uint32_t size = pick_size();
	const char *name = pick_name();
	uint32_t flags = pick_flags();
	do_export(size, name, flags, rare());
}

static void op_get(void)
{
	do_get(pick_handle(PICK_BUFFER));
}

static void op_put(void)
{
	do_put(pick_handle(PICK_BUFFER));
}

static void op_attach(void)
{
	int32_t buffer = pick_handle(PICK_BUFFER);
	int device = pick_device();
	do_attach(buffer, device, rare());
}

static void op_detach(void)
{
	do_detach(pick_handle(PICK_ATTACHMENT));
}

static void op_map(void)
{
	int32_t att = pick_handle(PICK_ATTACHMENT);
	uint32_t direction = pick_direction();
	do_map(att, direction, rare());
}

static void op_unmap(void)
{
	int32_t handle = pick_handle(PICK_ATTACHMENT);
	uint8_t s = u8();
	int a = model_attachment_lookup(&model, handle);
	struct dmabuf_mapping mapping = { 0 };
	uint32_t direction = pick_direction();
	if (a >= 0) {
		mapping = model.attachments[a].last;
		/* Mostly the direction it was mapped with. */
		if (model.attachments[a].direction && (s & 0x30u) != 0x30u)
			direction = model.attachments[a].direction;
	}
	switch (s & 0xFu) {
	case 8: mapping.dma_addr += 4; break;
	case 9: mapping.length ^= 1; break;
	case 10: mapping.segment_count++; break;
	case 11: mapping.segment_bytes--; break;
	case 12: mapping.direction ^= 3; break;
	default: break;
	}
	do_unmap(handle, (s & 0xC0u) == 0xC0u && (s & 0xFu) == 13 ? NULL : &mapping, direction);
}

static void op_begin_cpu(void)
{
	int32_t buffer = pick_handle(PICK_BUFFER);
	uint32_t direction = pick_direction();
	uint32_t offset, length;
	pick_range(buffer_size_or(buffer, 4096), &offset, &length);
	do_begin_cpu(buffer, direction, offset, length, rare());
}

static void op_end_cpu(void)
{
	int32_t buffer = pick_handle(PICK_BUFFER);
	int b = model_buffer_lookup(&model, buffer);
	uint8_t s = u8();
	uint32_t direction, offset, length;
	if (b >= 0 && model.buffers[b].cpu_direction && s < 0xE0) {
		const struct model_buffer *buf = &model.buffers[b];
		direction = buf->cpu_direction;
		offset = buf->cpu_offset;
		/* DMABUF_WHOLE names the same range as the length to the end. */
		length = (s & 1u) && offset + buf->cpu_length == buf->size ? DMABUF_WHOLE : buf->cpu_length;
		/* Now and then a near miss: one thing differs from the open access. */
		if (s >= 0xC0) {
			switch (s & 6u) {
			case 0: offset++; break;
			case 2: offset--; break;
			case 4: direction = direction % 3u + 1u; break;
			default: length = buf->cpu_length - 1u; break;
			}
		}
	} else {
		direction = pick_direction();
		pick_range(buffer_size_or(buffer, 4096), &offset, &length);
	}
	do_end_cpu(buffer, direction, offset, length);
}

/* The k-th buffer with an open CPU access (that writes, if @writes), or -1. */
static int open_access(uint32_t k, bool writes)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < model.max_buffers; i++)
		n += model.buffers[i].refcount && model.buffers[i].cpu_direction &&
		     (!writes || cpu_writes(model.buffers[i].cpu_direction));
	for (uint32_t i = 0, seen = 0; n && i < model.max_buffers; i++)
		if (model.buffers[i].refcount && model.buffers[i].cpu_direction &&
		    (!writes || cpu_writes(model.buffers[i].cpu_direction)) && seen++ == k % n)
			return (int)i;
	return -1;
}

static void op_cpu_write(void)
{
	int b = open_access(u8(), true);
	uint8_t s = u8();
	uint32_t from = u16(), count = u16(), seed = u8();
	if (b < 0)
		return;
	/* The whole window, a head, a tail (edges are where copies and
	 * cleans go wrong), or any piece. */
	uint32_t window = model.buffers[b].cpu_length;
	count = 1u + count % window;
	switch (s & 3u) {
	case 0: from = 0; count = window; break;
	case 1: from = 0; break;
	case 2: from = window - count; break;
	default: from %= window; count = 1u + count % (window - from); break;
	}
	cpu_write((uint32_t)b, from, count, seed);
}

static void op_cpu_read(void)
{
	int b = open_access(u8(), false);
	if (b >= 0)
		cpu_read((uint32_t)b);
}

static void op_dma(void)
{
	uint8_t k = u8(), seed = u8();
	uint32_t mapped = 0;
	for (uint32_t i = 0; i < model.max_attachments; i++)
		mapped += model.attachments[i].live && model.attachments[i].direction;
	for (uint32_t i = 0, n = 0; mapped && i < model.max_attachments; i++)
		if (model.attachments[i].live && model.attachments[i].direction && n++ == k % mapped)
			dma_transfer(i, seed);
}

static void op_arm_cache_failure(void)
{
	static const int errors[] = { DMABUF_EIO, DMABUF_ENOTSUP, DMABUF_EBUSY, DMABUF_ETIMEDOUT };
	int err = errors[u8() & 3u];
	fuzz_cache.fail_next = err;
	model.pending_cache_failure = err;
}

static void op_set_checker(void)
{
	bool on = u8() & 1u;
	dmabuf_set_checker(ctx, on);
	model.checker = on;
}

static void op_device_find(void)
{
	static const char *const names[] = { "dma", "gdma", "snoop", "dma2", "wide", "mdma", "part", "upper",
					     "DMA", "", "nonexistent", NULL };
	uint32_t k = u8() % (uint32_t)(sizeof(names) / sizeof(names[0]));
	int got = dmabuf_device_find(ctx, names[k]);
	int want = k < FUZZ_DEVICE_COUNT ? (int)k : names[k] ? DMABUF_ENOENT : DMABUF_EINVAL;
	if (want < 0)
		model_expect_message(&model, FUZZ_SINK_CTX);
	EXPECT_EQ(got, want, "dmabuf_device_find");
}

static void op_get_info(void)
{
	int32_t handle = pick_handle(PICK_BUFFER);
	bool out_null = rare();
	struct dmabuf_info info;
	int got = dmabuf_get_info(ctx, handle, out_null ? NULL : &info);
	int b = model_buffer_lookup(&model, handle);
	int want = out_null ? DMABUF_EINVAL : b < 0 ? DMABUF_EBADF : 0;
	if (want)
		model_expect_message(&model, FUZZ_SINK_CTX);
	EXPECT_EQ(got, want, "dmabuf_get_info");
}

static void op_bufinfo_truncated(void)
{
	static char full[4096], part[4096];
	uint32_t len = u16() % 600u;
	int total = dmabuf_bufinfo(ctx, full, sizeof(full));
	int got = dmabuf_bufinfo(ctx, len ? part : NULL, len);
	EXPECT_EQ(got, total, "dmabuf_bufinfo length with a short buffer");
	if (len && (strlen(part) != (len - 1 < (uint32_t)total ? len - 1 : (uint32_t)total) ||
		    strncmp(part, full, strlen(part)) != 0))
		diverge("bufinfo truncated to %u bytes is not a NUL-terminated prefix", len);
}

/* dmabuf_reset: every live buffer (slot order) loses its attachments,
 * newest first, mapped or not, and its CPU access; the ownership hook hears
 * it is the CPU's again; then it dies as on its last put. The statistics
 * restart from zero. */
static void op_reset(void)
{
	uint32_t live = model_live_buffers_count();
	int got = dmabuf_reset(ctx);
	EXPECT_EQ(got, live, "dmabuf_reset");
	for (uint32_t i = 0; i < live; i++)
		model_expect_message(&model, FUZZ_SINK_CTX); /* each leaked buffer, by name */
	for (uint32_t b = 0; b < model.max_buffers; b++) {
		if (!model.buffers[b].refcount)
			continue;
		bool was = model_device_owned(&model, b);
		for (;;) {
			int newest = -1;
			for (uint32_t i = 0; i < model.max_attachments; i++)
				if (model.attachments[i].live && model.attachments[i].buffer == b &&
				    (newest < 0 || model.attachments[i].attached_at > model.attachments[newest].attached_at))
					newest = (int)i;
			if (newest < 0)
				break;
			struct model_attachment *a = &model.attachments[newest];
			a->live = false;
			a->direction = 0;
			a->generation = model_next_generation(a->generation);
			model_slots_give(&model.free_attachments, (uint16_t)newest);
		}
		model.buffers[b].cpu_direction = 0;
		model_ownership_changed(&model, b, was);
		buffer_died(b, model_buffer_handle(&model, b));
	}
	model.peak = 0;
	model.failed = 0;
	model.cache_stats = (struct dmabuf_cache_stats){ 0 };
}

static void op_cpu_pointer(void)
{
	int32_t handle = pick_handle(PICK_BUFFER);
	uint8_t s = u8();
	uint32_t a = u16(), c = u16();
	int b = model_buffer_lookup(&model, handle);
	uint32_t offset, length;
	const struct model_buffer *buf = b >= 0 ? &model.buffers[b] : NULL;
	if (buf && buf->cpu_direction && s < 0xC0) {
		/* Mostly a piece of the open window, empty ranges at either end included. */
		offset = buf->cpu_offset + a % (buf->cpu_length + 1u);
		length = c % (buf->cpu_offset + buf->cpu_length - offset + 1u);
	} else {
		pick_range(buffer_size_or(handle, 4096), &offset, &length);
	}
	bool cpu_null = rare();
	void *cpu = NULL;
	int got = dmabuf_cpu_pointer(ctx, handle, offset, length, cpu_null ? NULL : &cpu);
	int want = 0;
	if (cpu_null)
		want = DMABUF_EINVAL;
	else if (!buf)
		want = DMABUF_EBADF;
	else if (!buf->cpu_direction || offset < buf->cpu_offset ||
		 (uint64_t)offset + length > (uint64_t)buf->cpu_offset + buf->cpu_length)
		want = DMABUF_EPERM;
	if (want)
		model_expect_message(&model, FUZZ_SINK_CTX);
	EXPECT_EQ(got, want, "dmabuf_cpu_pointer");
	if (!want && (uint8_t *)cpu != model_cpu(&model, (uint32_t)b) + offset)
		diverge("cpu_pointer %p, model %p", cpu, (void *)(model_cpu(&model, (uint32_t)b) + offset));
}

/*
 * The life cycle of the context and the fence pool (rule "NULL and dead
 * objects", dmabuf.h): deinit; a call on the dead object, a second deinit
 * and a call with NULL, each refused with -EINVAL on the fallback sink; init
 * again in the same storage: a fresh object. The pool goes round too when no
 * fence is alive. A bound reservation table keeps both (it needs them).
 */
static void cycle_context_and_pool(void)
{
	if (model.resv_bound)
		return;
	dmabuf_handle_t handle = 0;
	EXPECT_EQ(dmabuf_deinit(ctx), 0, "dmabuf_deinit");
	EXPECT_EQ(dmabuf_export(ctx, 64, "dead", 0, &handle), DMABUF_EINVAL, "dmabuf_export on a dead context");
	EXPECT_EQ(dmabuf_deinit(ctx), DMABUF_EINVAL, "dmabuf_deinit, second time");
	EXPECT_EQ(dmabuf_check(NULL), DMABUF_EINVAL, "dmabuf_check(NULL)");
	for (int i = 0; i < 3; i++)
		model_expect_message(&model, FUZZ_SINK_FALLBACK);
	EXPECT_EQ(dmabuf_init(&ctx, ctx_storage, dmabuf_storage_size(&config), &config), 0, "dmabuf_init again");
	model_context_reinit(&model, config.checker);
	if (model.fence_in_use)
		return;
	dmabuf_fence_t fence = 0;
	EXPECT_EQ(dmabuf_fence_pool_deinit(pool), 0, "dmabuf_fence_pool_deinit");
	EXPECT_EQ(dmabuf_fence_create(pool, 1, 0, &fence), DMABUF_EINVAL, "dmabuf_fence_create on a dead pool");
	EXPECT_EQ(dmabuf_fence_pool_deinit(pool), DMABUF_EINVAL, "dmabuf_fence_pool_deinit, second time");
	EXPECT_EQ(dmabuf_fence_status(NULL, 1), DMABUF_EINVAL, "dmabuf_fence_status(NULL)");
	for (int i = 0; i < 3; i++)
		model_expect_message(&model, FUZZ_SINK_FALLBACK);
	EXPECT_EQ(dmabuf_fence_pool_init(&pool, pool_storage, sizeof(pool_storage), model.fence_capacity), 0,
		  "dmabuf_fence_pool_init again");
	dmabuf_fence_pool_set_report(pool, fuzz_report, &fuzz_sink_ids[FUZZ_SINK_POOL]);
	model_pool_reinit(&model);
}

static void op_deinit(void)
{
	uint32_t live = model_live_buffers_count();
	if (live == 0) {
		cycle_context_and_pool();
		return;
	}
	int got = dmabuf_deinit(ctx);
	for (uint32_t i = 0; i < live; i++)
		model_expect_message(&model, FUZZ_SINK_CTX); /* one per leaked buffer */
	EXPECT_EQ(got, DMABUF_EBUSY, "dmabuf_deinit with live buffers");
}

static void op_fence_create(void)
{
	uint8_t s = u8();
	uint32_t seqno = u16();
	uint32_t context = s < 0xE0 ? 1u + s % 4u : s < 0xF0 ? 0 : u32();
	do_fence_create(context, seqno, rare());
}

static void op_fence_get(void)
{
	int32_t fence = pick_handle(PICK_FENCE);
	int got = dmabuf_fence_get(pool, fence);
	EXPECT_EQ(got, model_fence_get(&model, fence), "dmabuf_fence_get");
}

static void op_fence_put(void)
{
	do_fence_put(pick_handle(PICK_FENCE));
}

static void op_fence_signal(void)
{
	/* -EBADF is refused (it would read as "bad handle"), 1 is not an error. */
	static const int errors[] = { 0, DMABUF_EBADF, DMABUF_EBUSY, DMABUF_EIO, DMABUF_ETIMEDOUT, -1, 1, INT32_MIN };
	int32_t fence = pick_handle(PICK_FENCE);
	do_fence_signal(fence, errors[u8() & 7u]);
}

static void op_fence_status(void)
{
	int32_t fence = pick_handle(PICK_FENCE);
	int got = dmabuf_fence_status(pool, fence);
	int want = model_fence_status_quiet(&model, fence);
	if (model_fence_lookup(&model, fence) < 0)
		model_expect_message(&model, FUZZ_SINK_POOL);
	EXPECT_EQ(got, want, "dmabuf_fence_status");
}

static void op_fence_wait(void)
{
	int32_t fence = pick_handle(PICK_FENCE);
	/* Mostly a poll; now and then a real (1 us) wait that times out. */
	do_fence_wait(fence, (u8() & 31u) == 31u ? 1u : 0u);
}

static void op_fence_add_callback(void)
{
	uint8_t s = u8();
	int32_t fence = pick_handle(PICK_FENCE);
	int32_t other = pick_handle(PICK_FENCE);
	enum model_callback_kind kind = (enum model_callback_kind)((s >> 3) % 3u);
	do_fence_add_callback(s % MODEL_MAX_CALLBACKS, fence, kind, other, (s & 0xC0u) == 0xC0u && rare());
}

static void op_fence_remove_callback(void)
{
	uint8_t s = u8();
	uint32_t index = s % MODEL_MAX_CALLBACKS;
	int32_t fence;
	const struct model_callback *mc = &model.callbacks[index];
	/* Mostly the fence it is registered on. */
	if (mc->fence_slot >= 0 && s < 0xC0)
		fence = model_fence_handle(&model, (uint32_t)mc->fence_slot);
	else
		fence = pick_handle(PICK_FENCE);
	do_fence_remove_callback(index, fence);
}

static void op_fence_info(void)
{
	int32_t fence = pick_handle(PICK_FENCE);
	bool out_null = rare();
	struct dmabuf_fence_info info;
	int got = dmabuf_fence_get_info(pool, fence, out_null ? NULL : &info);
	int want = out_null ? DMABUF_EINVAL : model_fence_lookup(&model, fence) < 0 ? DMABUF_EBADF : 0;
	if (want)
		model_expect_message(&model, FUZZ_SINK_POOL);
	EXPECT_EQ(got, want, "dmabuf_fence_get_info");
}

static void op_context_alloc(void)
{
	uint32_t got = dmabuf_fence_context_alloc(pool);
	EXPECT_EQ(got, model.next_context, "dmabuf_fence_context_alloc");
	if (++model.next_context == 0)
		model.next_context = 1;
}

static void op_resv_init(void)
{
	uint8_t s = u8();
	size_t need = dmabuf_resv_storage_size(model.max_buffers);
	struct dmabuf_resv_table *table = NULL;
	void *storage = resv_storage;
	size_t size = sizeof(resv_storage);
	bool null_out = false;
	int want = 0;
	switch (s & 7u) {
	case 5: size = need - 1u - u8() % need; want = DMABUF_ENOMEM; break;
	case 6: storage = (uint8_t *)resv_storage + 4; want = DMABUF_EINVAL; break;
	case 7: null_out = true; want = DMABUF_EINVAL; break;
	default: break;
	}
	if (!want && model.resv_bound)
		want = DMABUF_EEXIST;
	if (want == DMABUF_ENOMEM || want == DMABUF_EEXIST || null_out)
		model_expect_message(&model, FUZZ_SINK_CTX);
	int got = dmabuf_resv_init(null_out ? NULL : &table, storage, size, ctx, pool, 0);
	EXPECT_EQ(got, want, "dmabuf_resv_init");
	if (want)
		return;
	resv = table;
	model.resv_bound = true;
	for (uint32_t i = 0; i < model.max_buffers; i++)
		model.buffers[i].explicit_sync = false;
}

static void op_resv_deinit(void)
{
	dmabuf_resv_deinit(resv);
	if (resv_refused(DMABUF_EINVAL, "dmabuf_resv_deinit"))
		return; /* a second deinit, or of NULL: nothing happens */
	model.resv_bound = false;
	for (uint32_t i = 0; i < model.max_buffers; i++)
		model_resv_clear(&model, i);
}

static void op_resv_add(void)
{
	uint8_t s = u8();
	int32_t buffer = pick_handle(PICK_BUFFER);
	int32_t fence = pick_handle(PICK_FENCE);
	uint32_t direction = pick_direction();
	do_resv_add(buffer, fence, direction, s % 3);
}

static void op_resv_query(void)
{
	uint8_t s = u8();
	int32_t buffer = pick_handle(PICK_BUFFER);
	int b = model_buffer_lookup(&model, buffer);
	bool write = s & 1u;
	int got, want;
	switch ((s >> 1) % 4u) {
	case 0:
		got = dmabuf_resv_wait(resv, buffer, write, 0);
		want = b < 0 || !model.resv_bound ? DMABUF_EBADF : model_resv_wait(&model, (uint32_t)b, write);
		break;
	case 1:
		got = dmabuf_resv_test(resv, buffer, write);
		want = b < 0 || !model.resv_bound ? DMABUF_EBADF : model_resv_test(&model, (uint32_t)b, write);
		break;
	case 2:
		got = dmabuf_resv_set_implicit_sync(resv, buffer, write);
		want = b < 0 ? DMABUF_EBADF : 0;
		if (b >= 0 && model.resv_bound)
			model.buffers[b].explicit_sync = !write;
		break;
	default:
		do_resv_info(buffer, rare());
		return;
	}
	if (resv_refused(got, "dmabuf_resv_wait/test/set_implicit_sync"))
		return;
	if (b < 0)
		model_expect_message(&model, FUZZ_SINK_CTX);
	EXPECT_EQ(got, want, "dmabuf_resv_wait/test/set_implicit_sync");
}

static void op_queue_init(void)
{
	uint8_t s = u8();
	uint32_t count = s < 0xF0 ? 1u + (s & 7u) : (s & 1u) ? 0 : DMABUF_QUEUE_MAX_FRAMES + 1u;
	uint32_t mode = (s & 8u) ? DMABUF_QUEUE_LATEST : DMABUF_QUEUE_WHEN_EMPTY;
	dmabuf_handle_t buffers[DMABUF_QUEUE_MAX_FRAMES + 1];
	bool handles_ok = true;
	for (uint32_t i = 0; i < count; i++) {
		uint8_t h = i < MODEL_MAX_FRAMES ? u8() : (uint8_t)i;
		if (h < 0xE0)
			buffers[i] = live_buffer(h) ? live_buffer(h) : (int32_t)(0x10010000u + i);
		else if (h < 0xF0 && i > 0)
			buffers[i] = buffers[h % i]; /* repeated */
		else
			buffers[i] = (h & 1u) ? 0 : -(int32_t)h;
		for (uint32_t j = 0; j < i; j++)
			handles_ok &= buffers[j] != buffers[i];
		handles_ok &= buffers[i] > 0;
	}
	uint8_t v = u8();
	if (model.queue.live && model.queue.count)
		return; /* a live queue's storage is not the input's to reuse */
	void *storage = queue_storage;
	size_t need = dmabuf_queue_storage_size(count);
	size_t size = sizeof(queue_storage);
	bool null_out = false;
	if (v == 0xFD)
		storage = (uint8_t *)queue_storage + 4;
	if (v == 0xFE && need)
		size = need - 1u;
	if (v == 0xFF)
		null_out = true;
	uint32_t bad_mode = v == 0xFC ? 3u : mode;
	struct dmabuf_queue *q = NULL;
	int got = dmabuf_queue_init(null_out ? NULL : &q, storage, size, buffers, count, (enum dmabuf_queue_mode)bad_mode);
	/* No queue yet, hence no report sink: these refusals are silent, but
	 * for the NULL pointer (the fallback sink names it). */
	if (null_out)
		model_expect_message(&model, FUZZ_SINK_FALLBACK);
	int want = null_out || storage != queue_storage || bad_mode != mode || need == 0 || !handles_ok
			   ? DMABUF_EINVAL
		   : size < need ? DMABUF_ENOMEM : 0;
	EXPECT_EQ(got, want, "dmabuf_queue_init");
	if (want)
		return;
	queue = q;
	dmabuf_queue_set_report(queue, fuzz_report, &fuzz_sink_ids[FUZZ_SINK_QUEUE]);
	model_queue_init(&model, buffers, count, mode);
}

static void op_queue(void)
{
	uint8_t s = u8();
	uint8_t i = u8();
	/* Also on a NULL (never initialised) or dead queue: refused. */
	uint32_t index = i < 0xF0 ? i % (model.queue.count + 1u) : 0xFFFFFFF0u + (i & 0xFu);
	switch (s % 8u) {
	case 0: do_queue_take(true, rare()); break;
	case 1: {
		uint64_t timestamp = (s & 0x80u) ? DMABUF_QUEUE_TIME_NOW : (uint64_t)u32() << (s & 0x10u ? 16 : 0);
		do_queue_give(index, DMABUF_FRAME_PRODUCING, DMABUF_FRAME_READY, timestamp);
		break;
	}
	case 2: do_queue_give(index, DMABUF_FRAME_PRODUCING, DMABUF_FRAME_FREE, 0); break;
	case 3: do_queue_take(false, rare()); break;
	case 4: do_queue_give(index, DMABUF_FRAME_CONSUMING, DMABUF_FRAME_FREE, 0); break;
	case 5: {
		int got = dmabuf_queue_frame_state(queue, index);
		bool refused = model_queue_refused(&model);
		EXPECT_EQ(got, !refused && index < model.queue.count ? (int)model.queue.frames[index].state : DMABUF_EINVAL,
			  "dmabuf_queue_frame_state");
		break;
	}
	default:
		if (s & 0x40u)
			do_queue_deinit(); /* on a dead or NULL queue too: refused, events not destroyed twice */
		else if ((s & 0x38u) == 0x38u)
			do_queue_close(); /* for good: the queue refuses until deinit and a new init */
		break;
	}
}

static void op_ownership_result(void)
{
	static const int results[] = { 0, DMABUF_ENOMEM, DMABUF_ENOTSUP, 0 };
	fuzz_ownership.device_owned_result = results[u8() & 3u];
}

struct call {
	const char *name;
	void (*run)(void);
};

static const struct call calls[] = {
	{ "export", op_export }, { "export", op_export }, { "get", op_get }, { "put", op_put }, { "put", op_put },
	{ "attach", op_attach }, { "attach", op_attach }, { "detach", op_detach }, { "map", op_map }, { "map", op_map },
	{ "unmap", op_unmap }, { "unmap", op_unmap }, { "begin_cpu_access", op_begin_cpu },
	{ "begin_cpu_access", op_begin_cpu }, { "end_cpu_access", op_end_cpu }, { "end_cpu_access", op_end_cpu },
	{ "cpu write", op_cpu_write }, { "cpu read", op_cpu_read }, { "dma transfer", op_dma },
	{ "arm cache failure", op_arm_cache_failure }, { "set_checker", op_set_checker },
	{ "device_find", op_device_find }, { "get_info", op_get_info }, { "bufinfo", op_bufinfo_truncated },
	{ "deinit (busy)", op_deinit }, { "fence_create", op_fence_create }, { "fence_get", op_fence_get },
	{ "fence_put", op_fence_put }, { "fence_signal", op_fence_signal }, { "fence_status", op_fence_status },
	{ "fence_wait", op_fence_wait }, { "fence_add_callback", op_fence_add_callback },
	{ "fence_remove_callback", op_fence_remove_callback }, { "fence_get_info", op_fence_info },
	{ "fence_context_alloc", op_context_alloc }, { "resv_init", op_resv_init }, { "resv_deinit", op_resv_deinit },
	{ "resv add", op_resv_add }, { "resv add", op_resv_add }, { "resv query", op_resv_query },
	{ "queue_init", op_queue_init }, { "queue", op_queue }, { "queue", op_queue },
	{ "ownership result", op_ownership_result }, { "reset", op_reset }, { "cpu_pointer", op_cpu_pointer },
};

/* ---- invariants after every call ----------------------------------------------------- */

static void check_logs(void)
{
	check_owed_bytes();
	for (int sink = 0; sink < FUZZ_SINK_COUNT; sink++)
		EXPECT_EQ(fuzz_messages[sink], model.expect_messages[sink],
			  sink == FUZZ_SINK_CTX ? "context messages" : sink == FUZZ_SINK_POOL ? "fence pool messages"
				: sink == FUZZ_SINK_QUEUE ? "queue messages" : "fallback messages");
	EXPECT_EQ(fuzz_cache.count, model.expect_cache_count, "cache operations");
	for (uint32_t i = 0; i < fuzz_cache.count && i < FUZZ_CACHE_LOG; i++) {
		const struct fuzz_cache_op *got = &fuzz_cache.log[i], *want = &model.expect_cache[i];
		if (got->kind != want->kind || got->addr != want->addr || got->size != want->size || got->line != want->line)
			diverge("cache op %u: kind %d at %p+%zu line %u; model kind %d at %p+%zu line %u", i, got->kind,
				(void *)got->addr, got->size, got->line, want->kind, (void *)want->addr, want->size, want->line);
	}
	EXPECT_EQ(fuzz_ownership.count, model.expect_ownership_count, "ownership hook calls");
	for (uint32_t i = 0; i < fuzz_ownership.count && i < FUZZ_OWNERSHIP_LOG; i++) {
		const struct fuzz_ownership_call *got = &fuzz_ownership.log[i], *want = &model.expect_ownership[i];
		if (got->device_owned != want->device_owned || got->cpu != want->cpu || got->size != want->size)
			diverge("ownership call %u: %s %p+%zu; model %s %p+%zu", i, got->device_owned ? "device" : "cpu",
				(void *)got->cpu, got->size, want->device_owned ? "device" : "cpu", (void *)want->cpu, want->size);
	}
	EXPECT_EQ(run_count, model.run_count, "fence callbacks run");
	for (uint32_t i = 0; i < run_count && i < MODEL_RUN_LOG; i++) {
		if (runs[i].callback != model.runs[i].callback || runs[i].fence != model.runs[i].fence ||
		    runs[i].status != model.runs[i].status)
			diverge("callback run %u: callback %u fence 0x%x status %d; model callback %u fence 0x%x status %d", i,
				runs[i].callback, runs[i].fence, runs[i].status, model.runs[i].callback, model.runs[i].fence,
				model.runs[i].status);
	}
}

static uint32_t model_live_attachments(void)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < model.max_attachments; i++)
		n += model.attachments[i].live;
	return n;
}

static void check_heap(void)
{
	struct dmabuf_heap_stats stats;
	dmabuf_heap_stats(ctx, &stats);
	uint32_t capacity = 0;
	for (uint32_t r = 0; r < FUZZ_REGION_COUNT; r++)
		capacity += fuzz_regions[r].size;
	EXPECT_EQ(stats.capacity, capacity, "heap capacity");
	EXPECT_EQ(stats.in_use, model.in_use, "heap in_use");
	EXPECT_EQ(stats.peak, model.peak, "heap peak");
	EXPECT_EQ(stats.failed, model.failed, "heap failed");
	EXPECT_EQ(stats.largest_free, model_largest_free_bytes(&model), "heap largest_free");
	EXPECT_EQ(stats.live_buffers, model_live_buffers_count(), "live buffers");
	EXPECT_EQ(stats.live_attachments, model_live_attachments(), "live attachments");

	struct dmabuf_cache_stats cache;
	dmabuf_cache_stats(ctx, &cache);
	EXPECT_EQ(cache.lines_cleaned, model.cache_stats.lines_cleaned, "lines cleaned");
	EXPECT_EQ(cache.lines_invalidated, model.cache_stats.lines_invalidated, "lines invalidated");
	EXPECT_EQ(cache.whole_cache_ops, model.cache_stats.whole_cache_ops, "whole-cache ops");
}

/* The cache facts the core reports (dmabuf_info.cache_state, bufinfo):
 * none for unplaced or uncached storage. */
static uint8_t reported_cache_state(uint32_t i)
{
	_Static_assert(MODEL_DIRTY == DMABUF_CACHE_MAY_BE_DIRTY && MODEL_STALE == DMABUF_CACHE_MAY_BE_STALE &&
			       MODEL_OWED == DMABUF_CACHE_CLEAN_DEFERRED,
		       "the model's cache facts are the documented bits");
	const struct model_buffer *b = &model.buffers[i];
	return b->region >= 0 && model_cacheable(&model, i) ? b->cache_state : 0;
}

static void check_buffers(void)
{
	for (uint32_t i = 0; i < model.max_buffers; i++) {
		const struct model_buffer *b = &model.buffers[i];
		if (!b->refcount)
			continue;
		struct dmabuf_info info;
		EXPECT_EQ(dmabuf_get_info(ctx, model_buffer_handle(&model, i), &info), 0, "get_info of a live buffer");
		if (strncmp(info.name, b->name, DMABUF_NAME_MAX) != 0)
			diverge("buffer name '%.16s', model '%.16s'", info.name, b->name);
		EXPECT_EQ(info.size, b->size, "info size");
		EXPECT_EQ(info.region, b->region, "info region");
		EXPECT_EQ(info.dma_addr, b->region >= 0 ? model_dma(&model, i) : 0, "info dma_addr");
		EXPECT_EQ(info.refcount, b->refcount, "info refcount");
		EXPECT_EQ(info.attachments, model_attachment_count(&model, i), "info attachments");
		EXPECT_EQ(info.device_mappings, model_mapping_count(&model, i), "info device_mappings");
		EXPECT_EQ(info.cpu_access, b->cpu_direction, "info cpu_access");
		EXPECT_EQ(info.ever_mapped, b->ever_mapped, "info ever_mapped");
		EXPECT_EQ(info.cache_state, reported_cache_state(i), "info cache_state");
	}
}

/* The bufinfo text, built from the model in the documented columns. */
static void check_bufinfo(void)
{
	static char got[4096], want[4096];
	static const char *const cpu_column[] = { "-", "to", "from", "bidi" };
	size_t at = (size_t)snprintf(want, sizeof(want), "%-16s%10s  %-10s%-10s %5s %4s %4s  %-4s  %s\n", "name",
				     "size", "region", "dma_addr", "refs", "att", "maps", "cpu", "state");
	for (uint32_t i = 0; i < model.max_buffers; i++) {
		const struct model_buffer *b = &model.buffers[i];
		if (!b->refcount)
			continue;
		at += (size_t)snprintf(want + at, sizeof(want) - at, "%-16s%10u  ", b->name, b->size);
		if (b->region >= 0)
			at += (size_t)snprintf(want + at, sizeof(want) - at, "%-10s0x%08x ", fuzz_regions[b->region].name,
					       model_dma(&model, i));
		else
			at += (size_t)snprintf(want + at, sizeof(want) - at, "%-10s%-10s ", "-", "-");
		at += (size_t)snprintf(want + at, sizeof(want) - at, "%5u %4u %4u  %-4s  %s%s%s%s\n", b->refcount,
				       model_attachment_count(&model, i), model_mapping_count(&model, i),
				       cpu_column[b->cpu_direction & 3u],
				       b->region < 0 ? "unplaced" : b->ever_mapped ? "fixed" : "movable",
				       reported_cache_state(i) & MODEL_DIRTY ? " dirty" : "",
				       reported_cache_state(i) & MODEL_STALE ? " stale" : "",
				       reported_cache_state(i) & MODEL_OWED ? " clean-owed" : "");
	}
	uint32_t capacity = 0;
	for (uint32_t r = 0; r < FUZZ_REGION_COUNT; r++)
		capacity += fuzz_regions[r].size;
	at += (size_t)snprintf(want + at, sizeof(want) - at, "%u buffers, %u of %u bytes in use\n", model_live_buffers_count(),
			       model.in_use, capacity);
	int len = dmabuf_bufinfo(ctx, got, sizeof(got));
	EXPECT_EQ(len, at, "bufinfo length");
	if (strcmp(got, want) != 0)
		diverge("bufinfo text differs:\n--- core\n%s--- model\n%s", got, want);
}

static void check_fences(void)
{
	EXPECT_EQ(dmabuf_fence_pool_check(pool), 0, "dmabuf_fence_pool_check");
	struct dmabuf_fence_pool_stats stats;
	dmabuf_fence_pool_stats(pool, &stats);
	EXPECT_EQ(stats.capacity, model.fence_capacity, "pool capacity");
	EXPECT_EQ(stats.in_use, model.fence_in_use, "pool in_use");
	EXPECT_EQ(stats.peak, model.fence_peak, "pool peak");
	EXPECT_EQ(stats.failed, model.fence_failed, "pool failed");
	EXPECT_EQ(stats.signalled, model.fence_signalled, "pool signalled");
	for (uint32_t i = 0; i < model.fence_capacity; i++) {
		const struct model_fence *f = &model.fences[i];
		if (!f->refcount)
			continue;
		struct dmabuf_fence_info info;
		EXPECT_EQ(dmabuf_fence_get_info(pool, model_fence_handle(&model, i), &info), 0, "fence_get_info of a live fence");
		EXPECT_EQ(info.context, f->context, "fence context");
		EXPECT_EQ(info.seqno, f->seqno, "fence seqno");
		EXPECT_EQ(info.refcount, f->refcount, "fence refcount");
		EXPECT_EQ(info.status, f->status, "fence status");
		EXPECT_EQ(info.callbacks, f->callback_count, "fence callbacks");
	}
	if (model.resv_bound) {
		uint32_t held = 0;
		for (uint32_t i = 0; i < model.max_buffers; i++)
			held += (model.buffers[i].exclusive != 0) + model.buffers[i].shared_count;
		EXPECT_EQ(dmabuf_resv_fence_count(resv), held, "reservation fence references");
	}
}

static void check_queue(void)
{
	const struct model_queue *q = &model.queue;
	if (!q->live || !q->count)
		return; /* a deinit'd queue only promises that calls find no frame */
	EXPECT_EQ(dmabuf_queue_check(queue), 0, "dmabuf_queue_check");
	struct dmabuf_queue_stats stats;
	dmabuf_queue_stats(queue, &stats);
	uint32_t in_state[4] = { 0 };
	for (uint32_t i = 0; i < q->count; i++)
		in_state[q->frames[i].state]++;
	EXPECT_EQ(stats.count, q->count, "queue count");
	for (uint32_t s = 0; s < 4; s++)
		EXPECT_EQ(stats.in_state[s], in_state[s], "queue frames in a state");
	EXPECT_EQ(stats.enqueued, q->enqueued, "queue enqueued");
	EXPECT_EQ(stats.acquired, q->acquired, "queue acquired");
	EXPECT_EQ(stats.dropped, q->dropped, "queue dropped");
	EXPECT_EQ(stats.starved, q->starved, "queue starved");
	EXPECT_EQ(stats.closed, q->closed, "queue closed");
}

/* Region memory outside the live buffers' bytes still holds the canary. */
static void check_memory(void)
{
	for (uint32_t r = 0; r < FUZZ_REGION_COUNT; r++) {
		for (uint32_t at = 0, start, length, bad; next_free_span(r, &at, &start, &length);)
			if (!fuzz_memory_intact((uint8_t *)fuzz_region_memory[r] + start, length, &bad))
				diverge("region %s byte %u outside every buffer was written", fuzz_regions[r].name,
					start + bad);
	}
}

/* Every byte the model knows, in every live buffer, read straight from
 * memory (the fuzz board has no cache to hide one): a move that copied too
 * little, or a write that landed in the wrong buffer, shows here even if no
 * input ever reads those bytes back through a view. */
static void check_contents(void)
{
	for (uint32_t b = 0; b < model.max_buffers; b++) {
		const struct model_buffer *buf = &model.buffers[b];
		if (!buf->refcount || buf->region < 0)
			continue;
		const uint8_t *cpu = model_cpu(&model, b);
		for (uint32_t i = 0; i < buf->size; i++)
			if (model.known[b][i] && cpu[i] != model.bytes[b][i])
				diverge("buffer '%s' byte %u holds 0x%02x, model 0x%02x", buf->name, i, cpu[i],
					model.bytes[b][i]);
	}
}

static void check_all(void)
{
	check_logs();
	uint32_t before[FUZZ_SINK_COUNT];
	memcpy(before, fuzz_messages, sizeof(before));
	EXPECT_EQ(dmabuf_check(ctx), 0, "dmabuf_check");
	check_heap();
	check_buffers();
	check_bufinfo();
	check_fences();
	check_queue();
	check_memory();
	check_contents();
	if (memcmp(before, fuzz_messages, sizeof(before)) != 0)
		diverge("a query of a consistent state reported a failure");
}

/* Start a call: empty logs on both sides. */
static void begin_call(const char *name)
{
	call_name = name;
	call_index++;
	cache_failure_armed = fuzz_cache.fail_next != 0;
	fuzz_env_clear_logs();
	model_begin_call(&model);
	run_count = 0;
	model.run_count = 0;
}

/* ---- setup and teardown ----------------------------------------------------------- */

/* One hostile dmabuf_init first (input-chosen), then the real one. */
static void try_hostile_init(uint8_t which)
{
	struct dmabuf_config bad = config;
	struct dmabuf_cache_ops no_invalidate = { .clean_range = fuzz_cache_ranges_only.clean_range };
	struct dmabuf_ownership_ops half = { .device_owned = fuzz_ownership_ops.device_owned };
	void *storage = ctx_storage;
	size_t size = sizeof(ctx_storage);
	bool null_out = false;
	int want = DMABUF_EINVAL;
	switch (which) {
	case 0: bad.max_buffers = 0; break;
	case 1: bad.max_buffers = 16385; break;
	case 2: bad.max_attachments = 16385; break;
	case 3: size = dmabuf_storage_size(&config) - 1u; want = DMABUF_ENOMEM; break;
	case 4: storage = (uint8_t *)ctx_storage + 4; break;
	case 5: null_out = true; break;
	case 6: bad.cache = &no_invalidate; break;
	default: bad.ownership = &half; break;
	}
	begin_call("dmabuf_init (hostile)");
	struct dmabuf_ctx *out = NULL;
	int got = dmabuf_init(null_out ? NULL : &out, storage, size, &bad);
	model_expect_message(&model, null_out ? FUZZ_SINK_FALLBACK : FUZZ_SINK_CTX);
	EXPECT_EQ(got, want, "dmabuf_init (hostile)");
	if (which <= 2 || which >= 6)
		EXPECT_EQ(dmabuf_storage_size(&bad), 0, "dmabuf_storage_size of a bad config");
	check_logs();
}

static bool setup(void)
{
	uint8_t b0 = u8(), b1 = u8(), b2 = u8();
	static const uint32_t thresholds[] = { 0, 64, 256, 2048 };
	model.threshold = thresholds[b0 & 3u];
	model.whole_ops = b0 & 4u;
	model.checker = b0 & 8u;
	model.ownership = b0 & 16u;
	model.max_buffers = 1u + (b0 >> 5);
	model.max_attachments = (b1 & 15u) % (MODEL_MAX_ATTACHMENTS + 1u);
	model.fence_capacity = 1u + ((b1 >> 4) & 7u);
	model_slots_init(&model.free_buffers, model.max_buffers);
	model_slots_init(&model.free_attachments, model.max_attachments);
	model_slots_init(&model.free_fences, model.fence_capacity);

	config = (struct dmabuf_config){
		.board = fuzz_board(model.threshold),
		.region_memory = fuzz_region_memory,
		.cache = model.whole_ops ? &fuzz_cache_with_whole : &fuzz_cache_ranges_only,
		.ownership = model.ownership ? &fuzz_ownership_ops : NULL,
		.max_buffers = model.max_buffers,
		.max_attachments = model.max_attachments,
		.checker = model.checker,
		.report = fuzz_report,
		.report_user = &fuzz_sink_ids[FUZZ_SINK_CTX],
	};
	size_t need = dmabuf_storage_size(&config);
	if (need == 0 || need > sizeof(ctx_storage)) {
		diverge("dmabuf_storage_size %zu for a valid config (storage %zu)", need, sizeof(ctx_storage));
		return false;
	}
	dmabuf_set_fallback_report(fuzz_report, &fuzz_sink_ids[FUZZ_SINK_FALLBACK]);
	if (b2 & 8u)
		try_hostile_init(b2 & 7u);
	begin_call("dmabuf_init");
	EXPECT_EQ(dmabuf_init(&ctx, ctx_storage, need, &config), 0, "dmabuf_init");

	/* The fence pool, after one input-chosen hostile init. */
	static const uint32_t bad_capacity[] = { 0, DMABUF_FENCE_MAX + 1u };
	size_t pool_need = dmabuf_fence_pool_storage_size(model.fence_capacity);
	struct dmabuf_fence_pool *bad_pool;
	switch (b2 >> 4) {
	case 1: case 2:
		EXPECT_EQ(dmabuf_fence_pool_init(&bad_pool, pool_storage, sizeof(pool_storage), bad_capacity[(b2 >> 4) - 1u]),
			  DMABUF_EINVAL, "dmabuf_fence_pool_init (bad capacity)");
		break;
	case 3:
		EXPECT_EQ(dmabuf_fence_pool_init(&bad_pool, pool_storage, pool_need - 1u, model.fence_capacity),
			  DMABUF_ENOMEM, "dmabuf_fence_pool_init (storage too small)");
		break;
	case 4:
		EXPECT_EQ(dmabuf_fence_pool_init(&bad_pool, (uint8_t *)pool_storage + 4, pool_need, model.fence_capacity),
			  DMABUF_EINVAL, "dmabuf_fence_pool_init (misaligned)");
		break;
	case 5:
		model_expect_message(&model, FUZZ_SINK_FALLBACK);
		EXPECT_EQ(dmabuf_fence_pool_init(NULL, pool_storage, pool_need, model.fence_capacity), DMABUF_EINVAL,
			  "dmabuf_fence_pool_init (null out)");
		break;
	default:
		break;
	}
	EXPECT_EQ(dmabuf_fence_pool_init(&pool, pool_storage, sizeof(pool_storage), model.fence_capacity), 0,
		  "dmabuf_fence_pool_init");
	dmabuf_fence_pool_set_report(pool, fuzz_report, &fuzz_sink_ids[FUZZ_SINK_POOL]);
	for (uint32_t i = 0; i < MODEL_MAX_CALLBACKS; i++)
		callbacks[i].index = i;
	check_all();
	return true;
}

/* Give everything back through the API (each call checked), then demand
 * that every byte, slot and fence is back. */
static void teardown(void)
{
	fuzz_cache.fail_next = 0;
	model.pending_cache_failure = 0;
	for (uint32_t i = 0; i < model.max_buffers; i++) {
		const struct model_buffer *b = &model.buffers[i];
		if (b->refcount && b->cpu_direction) {
			begin_call("teardown: end_cpu_access");
			do_end_cpu(model_buffer_handle(&model, i), b->cpu_direction, b->cpu_offset, b->cpu_length);
			check_all();
		}
	}
	for (uint32_t i = 0; i < model.max_attachments; i++) {
		struct model_attachment *a = &model.attachments[i];
		if (a->live && a->direction) {
			begin_call("teardown: unmap");
			do_unmap(model_attachment_handle(&model, i), &a->memo, a->direction);
			check_all();
		}
		if (a->live) {
			begin_call("teardown: detach");
			do_detach(model_attachment_handle(&model, i));
			check_all();
		}
	}
	if (model.resv_bound) {
		begin_call("teardown: resv_deinit");
		op_resv_deinit();
		check_all();
	}
	if (model.queue.live && model.queue.count) {
		begin_call("teardown: queue");
		for (uint32_t i = 0; i < model.queue.count; i++) {
			uint32_t state = model.queue.frames[i].state;
			if (state == DMABUF_FRAME_PRODUCING || state == DMABUF_FRAME_CONSUMING)
				do_queue_give(i, state, DMABUF_FRAME_FREE, 0);
		}
		do_queue_deinit();
		check_all();
	}
	for (uint32_t i = 0; i < model.max_buffers; i++) {
		while (model.buffers[i].refcount) {
			begin_call("teardown: put");
			do_put(model_buffer_handle(&model, i));
			check_all();
		}
	}
	/* Signalling runs every callback still registered (a put-self one drops
	 * its own reference); then the references left are the fuzzer's. */
	for (uint32_t i = 0; i < model.fence_capacity; i++) {
		if (model.fences[i].refcount && model.fences[i].status == 0) {
			begin_call("teardown: fence_signal");
			do_fence_signal(model_fence_handle(&model, i), 0);
			check_all();
		}
	}
	for (uint32_t i = 0; i < model.fence_capacity; i++) {
		while (model.fences[i].refcount) {
			begin_call("teardown: fence_put");
			do_fence_put(model_fence_handle(&model, i));
			check_all();
		}
	}
	begin_call("teardown: deinit");
	struct dmabuf_heap_stats stats;
	dmabuf_heap_stats(ctx, &stats);
	EXPECT_EQ(stats.in_use, 0, "bytes still allocated at the end");
	EXPECT_EQ(stats.largest_free, fuzz_regions[FUZZ_PSRAM].size, "largest free block at the end");
	EXPECT_EQ(dmabuf_deinit(ctx), 0, "dmabuf_deinit");
	struct dmabuf_fence_pool_stats pool_stats;
	dmabuf_fence_pool_stats(pool, &pool_stats);
	EXPECT_EQ(pool_stats.in_use, 0, "fences still alive at the end");
	EXPECT_EQ(dmabuf_fence_pool_deinit(pool), 0, "dmabuf_fence_pool_deinit");
	for (uint32_t i = 0; i < MODEL_MAX_CALLBACKS; i++)
		if (model.callbacks[i].fence_slot >= 0)
			diverge("callback %u still registered at the end", i);
	check_logs();
	check_memory();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	input = data;
	input_size = size;
	input_at = 0;
	call_index = 0;
	model_reset(&model);
	memset(cpu_view, 0, sizeof(cpu_view));
	memset(owed_count, 0, sizeof(owed_count));
	memset(owed_bytes, 0, sizeof(owed_bytes));
	fuzz_cache.fail_next = 0;
	fuzz_ownership.device_owned_result = 0;
	fuzz_memory_reset();
	ctx = NULL;
	pool = NULL;
	resv = NULL;
	queue = NULL;
	if (!setup())
		return 0;
	for (uint32_t n = 0; n < MAX_CALLS && input_at < input_size; n++) {
		const struct call *call = &calls[u8() % (sizeof(calls) / sizeof(calls[0]))];
		begin_call(call->name);
		call->run();
		fuzz_calls_checked++;
		check_all();
	}
	teardown();
	return 0;
}
