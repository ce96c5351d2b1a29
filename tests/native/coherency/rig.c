#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coherency/rig.h"

/* Bytes per microsecond of each test-board device's engine: different rates
 * so two engines never step in lockstep. */
static const uint32_t engine_rate[RIG_DEVICES] = { 200, 150, 100, 200 };

static struct rig current;
static char last_message[200];

static void remember_report(void *user, const char *message)
{
	(void)user;
	snprintf(last_message, sizeof(last_message), "%s", message);
}

struct rig_schedule rig_schedule_of(uint64_t seed)
{
	static const uint32_t lines[] = { 32, 64, 128 };
	static const double rates[] = { 0.0, 0.02, 0.05, 0.1, 0.3, 0.6, 1.0 };
	uint64_t state = seed;
	return (struct rig_schedule){
		.seed = seed,
		.line = lines[seed % 3],
		.whole_cache_threshold = (seed / 3) % 2 ? 512 : 0,
		.eviction_rate = rates[sim_prng_next(&state) % (sizeof(rates) / sizeof(rates[0]))],
		.cpu_side_evictions = true,
	};
}

static void rig_close(struct rig *rig)
{
	if (rig->ctx)
		dmabuf_deinit(rig->ctx);
	free(rig->storage);
	sim_destroy(rig->soc);
	memset(rig, 0, sizeof(*rig));
}

struct rig *rig_open(const struct rig_schedule *schedule)
{
	struct rig *rig = &current;
	rig_close(rig);
	rig->schedule = *schedule;
	rig->data_prng = schedule->seed ^ 0xD1B54A32D192ED03u;
	const struct dmabuf_board *board =
		test_board_build(&rig->board_storage, schedule->line, schedule->whole_cache_threshold);
	if (sim_create(board, schedule->seed, &rig->soc) != 0)
		return NULL;
	sim_cache_backend_init(&rig->backend, rig->soc);

	/* Startup code used the start of the heap's first region through the
	 * cache and left it dirty: the first buffers land on those lines. */
	uint8_t *sram = sim_region_memory(rig->soc)[TEST_SRAM];
	rig_frame(rig, sram, TEST_DCACHE_SIZE);

	struct dmabuf_config config = {
		.board = board,
		.region_memory = sim_region_memory(rig->soc),
		.cache = &dmabuf_cache_host_sim,
		.cache_priv = &rig->backend,
		.max_buffers = 8,
		.max_attachments = 16,
		.checker = true,
		.report = remember_report,
	};
	size_t size = dmabuf_storage_size(&config);
	rig->storage = size ? aligned_alloc(8, (size + 7) / 8 * 8) : NULL;
	if (!rig->storage || dmabuf_init(&rig->ctx, rig->storage, size, &config) != 0) {
		rig->ctx = NULL;
		return NULL;
	}
	for (uint32_t d = 0; d < RIG_DEVICES; d++)
		if (dmabuf_device_find(rig->ctx, board->devices[d].name) != (int)d ||
		    sim_dma_engine_create(rig->soc, engine_rate[d], board->devices[d].coherent,
					  &rig->engine[d]) != 0)
			return NULL;
	sim_set_eviction_rate(rig->soc, schedule->eviction_rate);
	return rig;
}

void rig_drop(struct rig *rig, enum rig_call call, uint32_t directions, uint32_t ops)
{
	rig->drop_call = call;
	rig->drop_directions = directions;
	rig->drop_ops = ops;
}

static void eviction_round(struct rig *rig)
{
	if (rig->schedule.cpu_side_evictions)
		sim_evict_random(rig->soc);
}

/* Bracket one core call: evictions around it, the fault armed during it, the
 * cache work it caused recorded. */
struct call {
	struct rig *rig;
	const char *what;
	struct sim_cache_backend before;
	struct dmabuf_cache_stats core_before;
};

static struct call call_start(struct rig *rig, const char *what, enum rig_call kind,
			      uint32_t direction)
{
	eviction_round(rig);
	struct call call = { rig, what, rig->backend, { 0, 0, 0 } };
	dmabuf_cache_stats(rig->ctx, &call.core_before);
	if (kind != RIG_CALL_NONE && rig->drop_call == kind &&
	    (rig->drop_directions == RIG_ANY_DIRECTION || (rig->drop_directions & RIG_DIRECTION(direction))))
		for (int op = 0; op < SIM_CACHE_OP_KINDS; op++)
			if (rig->drop_ops == RIG_ALL_OPS || (rig->drop_ops & RIG_OP(op)))
				sim_cache_drop(&rig->backend, (enum sim_cache_op)op, 0, SIM_DROP_ALL);
	last_message[0] = '\0';
	return call;
}

static int call_finish(struct call *call, int err)
{
	struct rig *rig = call->rig;
	struct sim_cache_backend *now = &rig->backend;
	for (int op = 0; op < SIM_CACHE_OP_KINDS; op++) {
		sim_cache_drop(now, (enum sim_cache_op)op, 0, 0);
		rig->dropped += now->dropped[op] - call->before.dropped[op];
	}
	rig->last = (struct rig_step_ops){
		now->lines[SIM_CACHE_CLEAN] - call->before.lines[SIM_CACHE_CLEAN],
		now->lines[SIM_CACHE_INVALIDATE] - call->before.lines[SIM_CACHE_INVALIDATE],
		now->calls[SIM_CACHE_CLEAN_ALL] + now->calls[SIM_CACHE_CLEAN_INVALIDATE_ALL] -
			call->before.calls[SIM_CACHE_CLEAN_ALL] -
			call->before.calls[SIM_CACHE_CLEAN_INVALIDATE_ALL],
	};
	struct dmabuf_cache_stats core;
	dmabuf_cache_stats(rig->ctx, &core);
	/* One call's share of the 64-bit counters fits 32 bits. */
	rig->last_core = (struct rig_step_ops){
		(uint32_t)(core.lines_cleaned - call->core_before.lines_cleaned),
		(uint32_t)(core.lines_invalidated - call->core_before.lines_invalidated),
		(uint32_t)(core.whole_cache_ops - call->core_before.whole_cache_ops),
	};
	if (err < 0) {
		rig->failures++;
		printf("  seed %llu: %s failed: %s: %s\n", (unsigned long long)rig->schedule.seed,
		       call->what, dmabuf_strerror(err), last_message);
	}
	eviction_round(rig);
	return err;
}

dmabuf_handle_t rig_export(struct rig *rig, uint32_t size, uint32_t flags)
{
	dmabuf_handle_t buffer = 0;
	struct call call = call_start(rig, "export", RIG_CALL_NONE, 0);
	return call_finish(&call, dmabuf_export(rig->ctx, size, "frame", flags, &buffer)) ? 0 : buffer;
}

dmabuf_handle_t rig_attach(struct rig *rig, dmabuf_handle_t buffer, enum rig_device device)
{
	dmabuf_handle_t attachment = 0;
	struct call call = call_start(rig, "attach", RIG_CALL_ATTACH, 0);
	return call_finish(&call, dmabuf_attach(rig->ctx, buffer, (int)device, &attachment)) ? 0
											 : attachment;
}

int rig_map(struct rig *rig, dmabuf_handle_t attachment, enum dmabuf_direction direction,
	    struct dmabuf_mapping *m)
{
	struct call call = call_start(rig, "map", RIG_CALL_MAP, direction);
	return call_finish(&call, dmabuf_map(rig->ctx, attachment, direction, m));
}

int rig_unmap(struct rig *rig, dmabuf_handle_t attachment, const struct dmabuf_mapping *m,
	      enum dmabuf_direction direction)
{
	struct call call = call_start(rig, "unmap", RIG_CALL_UNMAP, direction);
	return call_finish(&call, dmabuf_unmap(rig->ctx, attachment, m, direction));
}

uint8_t *rig_begin(struct rig *rig, dmabuf_handle_t buffer, enum dmabuf_direction direction,
		   uint32_t offset, uint32_t length)
{
	void *cpu = NULL;
	struct call call = call_start(rig, "begin_cpu_access", RIG_CALL_BEGIN, direction);
	int err = dmabuf_begin_cpu_access(rig->ctx, buffer, direction, offset, length, &cpu);
	return call_finish(&call, err) ? NULL : cpu;
}

int rig_end(struct rig *rig, dmabuf_handle_t buffer, enum dmabuf_direction direction,
	    uint32_t offset, uint32_t length)
{
	struct call call = call_start(rig, "end_cpu_access", RIG_CALL_END, direction);
	return call_finish(&call, dmabuf_end_cpu_access(rig->ctx, buffer, direction, offset, length));
}

int rig_detach(struct rig *rig, dmabuf_handle_t attachment)
{
	struct call call = call_start(rig, "detach", RIG_CALL_NONE, 0);
	return call_finish(&call, dmabuf_detach(rig->ctx, attachment));
}

int rig_put(struct rig *rig, dmabuf_handle_t buffer)
{
	struct call call = call_start(rig, "put", RIG_CALL_NONE, 0);
	return call_finish(&call, dmabuf_put(rig->ctx, buffer));
}

int rig_frame_draw(struct rig *rig, const struct dmabuf_frame *frame, bool darken, int32_t x, int32_t y,
		   int32_t width, int32_t height, uint32_t rgb)
{
	struct call call = call_start(rig, darken ? "frame darken" : "frame fill", RIG_CALL_NONE, 0);
	/* Begin invalidates (per line, or clean+invalidate of the whole cache
	 * above the threshold); end cleans (per line, or the whole cache). */
	if (rig->drop_call == RIG_CALL_FRAME_BEGIN) {
		sim_cache_drop(&rig->backend, SIM_CACHE_INVALIDATE, 0, SIM_DROP_ALL);
		sim_cache_drop(&rig->backend, SIM_CACHE_CLEAN_INVALIDATE_ALL, 0, SIM_DROP_ALL);
	} else if (rig->drop_call == RIG_CALL_FRAME_END) {
		sim_cache_drop(&rig->backend, SIM_CACHE_CLEAN, 0, SIM_DROP_ALL);
		sim_cache_drop(&rig->backend, SIM_CACHE_CLEAN_ALL, 0, SIM_DROP_ALL);
	}
	int err = darken ? dmabuf_frame_darken(rig->ctx, frame, x, y, width, height)
			 : dmabuf_frame_fill(rig->ctx, frame, x, y, width, height, rgb);
	return call_finish(&call, err);
}

static uint32_t mismatches(const uint8_t *got, const uint8_t *expected, uint32_t length)
{
	uint32_t count = 0;
	for (uint32_t i = 0; i < length; i++)
		count += got[i] != expected[i];
	return count;
}

/* CPU accesses come in chunks of 1..128 bytes with eviction rounds between,
 * so lines are evicted half-written and half-read. */
static uint32_t chunk(struct rig *rig, uint32_t left)
{
	uint32_t size = 1 + rig_random(rig, 128);
	return size < left ? size : left;
}

void rig_cpu_write(struct rig *rig, uint8_t *cpu, const uint8_t *data, uint32_t length)
{
	for (uint32_t done = 0, size; done < length; done += size) {
		size = chunk(rig, length - done);
		memcpy(cpu + done, data + done, size);
		eviction_round(rig);
	}
}

void rig_cpu_check(struct rig *rig, const uint8_t *cpu, const uint8_t *expected, uint32_t length)
{
	for (uint32_t done = 0, size; done < length; done += size) {
		size = chunk(rig, length - done);
		rig->corrupted += mismatches(cpu + done, expected + done, size);
		eviction_round(rig);
	}
}

struct transfer {
	struct rig *rig;
	const uint8_t *bytes;
};

static void check_segment(void *user, uint32_t offset, const uint8_t *data, uint32_t length)
{
	struct transfer *t = user;
	t->rig->corrupted += mismatches(data, t->bytes + offset, length);
}

static void fill_segment(void *user, uint32_t offset, uint8_t *data, uint32_t length)
{
	struct transfer *t = user;
	memcpy(data, t->bytes + offset, length);
}

static void run_job(struct rig *rig, enum rig_device device, enum sim_dma_direction direction,
		    const struct dmabuf_mapping *m, const uint8_t *bytes)
{
	struct transfer t = { rig, bytes };
	struct sim_dma_job job = {
		.direction = direction,
		.mapping = *m,
		.sink = check_segment,
		.source = fill_segment,
		.user = &t,
	};
	struct sim_stats before, after;
	sim_stats(rig->soc, &before);
	if (sim_dma_submit(rig->engine[device], &job) != 0) {
		rig->failures++;
		printf("  seed %llu: DMA job refused\n", (unsigned long long)rig->schedule.seed);
		return;
	}
	sim_run_until_idle(rig->soc);
	sim_stats(rig->soc, &after);
	rig->dma_evictions += after.evicted_lines - before.evicted_lines;
}

void rig_device_read(struct rig *rig, enum rig_device device, const struct dmabuf_mapping *m,
		     const uint8_t *expected)
{
	run_job(rig, device, SIM_DMA_READ_BUS, m, expected);
}

void rig_device_write(struct rig *rig, enum rig_device device, const struct dmabuf_mapping *m,
		      const uint8_t *data)
{
	run_job(rig, device, SIM_DMA_WRITE_BUS, m, data);
}

void rig_frame(struct rig *rig, uint8_t *frame, uint32_t length)
{
	for (uint32_t i = 0; i < length; i += 8) {
		uint64_t bytes = sim_prng_next(&rig->data_prng);
		memcpy(frame + i, &bytes, length - i < 8 ? length - i : 8);
	}
}

uint32_t rig_random(struct rig *rig, uint32_t below)
{
	return (uint32_t)(sim_prng_next(&rig->data_prng) % below);
}

struct dmabuf_info rig_info(struct rig *rig, dmabuf_handle_t buffer)
{
	struct dmabuf_info info;
	if (dmabuf_get_info(rig->ctx, buffer, &info) != 0)
		memset(&info, 0, sizeof(info));
	return info;
}
