/*
 * Host P/Invoke exports of the simulated peripherals (peripherals_host.h).
 * Marshalling and id bookkeeping only; the models live in native-interop/sim.
 */
#include "peripherals_host.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "dmabuf/fence.h"
#include "dmabuf/peripheral.h"
#include "dmabuf_host_internal.h"
#include "../managed_values.h"
#include "peripheral_sim.h"
#include "peripherals.h"

#define SLOT_BITS 8u
#define SLOT_MASK ((1u << SLOT_BITS) - 1u)
/* What close lets virtual time run to finish the requests still pending:
 * every one completes within a few frame periods. */
#define DRAIN_NS 10000000000ull
/* The pictures the simulated cameras see until SimulatedSoc sets another. */
#define HOST_SCENE_SEED 1ull

/* A request whose fence the caller holds, or that still runs after the
 * caller released it (the peripheral writes into it until its signal). */
struct host_request {
	struct sim_request request;
	bool used;
	bool held; /* the caller has not released it */
};

struct host_peripherals {
	int32_t id;
	int32_t heap;
	uint32_t opens; /* SimulatedSoc opens and open public peripherals: one set per heap */
	struct sim_board_peripherals *board;
	struct dmabuf_host_heap_parts parts;
	struct sim_peripherals *peripherals;
	struct sim_camera *cameras[DMABUF_HOST_MAX_PERIPHERALS];
	struct sim_display *displays[DMABUF_HOST_MAX_PERIPHERALS];
	struct sim_spi_panel *panels[DMABUF_HOST_MAX_PERIPHERALS];
	uint32_t camera_count, display_count, panel_count;
	struct host_request requests[DMABUF_HOST_MAX_REQUESTS];
};

static struct host_peripherals *sets[DMABUF_HOST_MAX_PERIPHERAL_SETS];
static uint32_t set_generation[DMABUF_HOST_MAX_PERIPHERAL_SETS];
static pthread_mutex_t sets_lock = PTHREAD_MUTEX_INITIALIZER;

/* ---- the simulated SoC of a heap ------------------------------------------ */

int32_t dmabuf_host_sim_now(int32_t heap, int64_t *now_ns)
{
	struct dmabuf_host_heap_parts parts;
	if (dmabuf_host_heap_parts(heap, &parts))
		return DMABUF_EBADF;
	if (!now_ns)
		return DMABUF_EINVAL;
	*now_ns = (int64_t)sim_now(parts.soc);
	return 0;
}

int32_t dmabuf_host_sim_set_eviction_rate(int32_t heap, double rate)
{
	struct dmabuf_host_heap_parts parts;
	if (dmabuf_host_heap_parts(heap, &parts))
		return DMABUF_EBADF;
	if (isnan(rate))
		return DMABUF_EINVAL;
	sim_set_eviction_rate(parts.soc, rate);
	return 0;
}

int32_t dmabuf_host_sim_seed(int32_t heap, int64_t seed)
{
	struct dmabuf_host_heap_parts parts;
	if (dmabuf_host_heap_parts(heap, &parts))
		return DMABUF_EBADF;
	sim_seed(parts.soc, (uint64_t)seed);
	return 0;
}

int32_t dmabuf_host_sim_drop_cache_operations(int32_t heap, int32_t drop)
{
	struct dmabuf_host_heap_parts parts;
	if (dmabuf_host_heap_parts(heap, &parts))
		return DMABUF_EBADF;
	if (drop != 0 && drop != 1)
		return DMABUF_EINVAL;
	for (int op = 0; op < SIM_CACHE_OP_KINDS; op++)
		sim_cache_drop(parts.cache, (enum sim_cache_op)op, 0, drop ? SIM_DROP_ALL : 0);
	return 0;
}

int32_t dmabuf_host_sim_cache_counts(int32_t heap, int64_t *values, int32_t count)
{
	struct dmabuf_host_heap_parts parts;
	if (dmabuf_host_heap_parts(heap, &parts))
		return DMABUF_EBADF;
	if (!values || count < 3 * SIM_CACHE_OP_KINDS + 2)
		return DMABUF_EINVAL;
	for (int op = 0; op < SIM_CACHE_OP_KINDS; op++) {
		values[3 * op] = parts.cache->calls[op];
		values[3 * op + 1] = parts.cache->lines[op];
		values[3 * op + 2] = parts.cache->dropped[op];
	}
	values[3 * SIM_CACHE_OP_KINDS] = parts.cache->violations;
	values[3 * SIM_CACHE_OP_KINDS + 1] = (int64_t)parts.cache->model_ns;
	return 0;
}

int64_t dmabuf_host_sim_thread_cpu_ns(void)
{
	return (int64_t)sim_thread_cpu_ns();
}

int32_t dmabuf_host_sim_stats(int32_t heap, int64_t *values, int32_t count)
{
	struct dmabuf_host_heap_parts parts;
	struct sim_stats stats;
	if (dmabuf_host_heap_parts(heap, &parts))
		return DMABUF_EBADF;
	if (!values || count < 5)
		return DMABUF_EINVAL;
	sim_stats(parts.soc, &stats);
	values[0] = (int64_t)stats.evicted_lines;
	values[1] = (int64_t)stats.written_back_lines;
	values[2] = (int64_t)stats.capacity_evictions;
	values[3] = (int64_t)stats.discarded_dirty_lines;
	values[4] = (int64_t)stats.dma_segments;
	return 0;
}

int32_t dmabuf_host_camera_pattern(int32_t width, int32_t height, int64_t seed, int32_t frame, uint8_t *out,
				   int32_t length)
{
	if (width <= 0 || height <= 0 || frame < 0 || !out || length < 0 ||
	    (int64_t)length > (int64_t)width * height * (int64_t)SIM_PIXEL_BYTES)
		return DMABUF_EINVAL;
	struct sim_camera_config config = { (uint32_t)width, (uint32_t)height, (uint64_t)seed, 1, 1 };
	sim_camera_pattern(&config, (uint32_t)frame, 0, out, (uint32_t)length);
	return 0;
}

/* ---- peripherals ids --------------------------------------------------------- */

/* The set @id names, NULL if none, or if its heap has been closed (then its
 * simulator is gone and nothing in the set may be touched; heap ids carry a
 * generation, so a closed heap's id never names a newer heap). */
static struct host_peripherals *set_lookup(int32_t id)
{
	uint32_t slot = ((uint32_t)id & SLOT_MASK) - 1u;
	struct dmabuf_host_heap_parts parts;
	if (id <= 0 || slot >= DMABUF_HOST_MAX_PERIPHERAL_SETS)
		return NULL;
	pthread_mutex_lock(&sets_lock);
	struct host_peripherals *set = sets[slot];
	pthread_mutex_unlock(&sets_lock);
	if (!set || set->id != id || dmabuf_host_heap_parts(set->heap, &parts))
		return NULL;
	return set;
}

/* The open set of @heap, or NULL. */
static struct host_peripherals *set_of_heap(int32_t heap)
{
	struct host_peripherals *found = NULL;
	pthread_mutex_lock(&sets_lock);
	for (uint32_t slot = 0; slot < DMABUF_HOST_MAX_PERIPHERAL_SETS && !found; slot++)
		if (sets[slot] && sets[slot]->heap == heap)
			found = sets[slot];
	pthread_mutex_unlock(&sets_lock);
	return found;
}

int32_t dmabuf_host_peripherals_open(int32_t heap, int32_t *out)
{
	struct host_peripherals *set;
	uint32_t slot;
	int err;

	if (!out)
		return DMABUF_EINVAL;
	/* One set per heap: two sets would each run virtual time without the
	 * other's events. */
	set = set_of_heap(heap);
	if (set) {
		set->opens++;
		*out = set->id;
		return 0;
	}
	set = calloc(1, sizeof(*set));
	if (!set)
		return DMABUF_ENOMEM;
	if (dmabuf_host_heap_parts(heap, &set->parts)) {
		free(set);
		return DMABUF_EBADF;
	}
	err = sim_peripherals_create(set->parts.soc, set->parts.fences, &set->peripherals);
	if (err) {
		free(set);
		return err;
	}
	/* Read per set, not once per process: a test can switch it (peripherals.h, DOC: pictures). */
	err = sim_peripherals_pictures_from_environment(set->peripherals);
	if (!err)
		err = sim_board_peripherals_create(set->peripherals, dmabuf_host_report, NULL, HOST_SCENE_SEED,
						   &set->board);
	if (err) {
		sim_peripherals_destroy(set->peripherals);
		free(set);
		return err;
	}
	set->heap = heap;
	set->opens = 1;

	pthread_mutex_lock(&sets_lock);
	for (slot = 0; slot < DMABUF_HOST_MAX_PERIPHERAL_SETS; slot++)
		if (!sets[slot])
			break;
	if (slot == DMABUF_HOST_MAX_PERIPHERAL_SETS) {
		pthread_mutex_unlock(&sets_lock);
		sim_board_peripherals_destroy(set->board, true);
		sim_peripherals_destroy(set->peripherals);
		free(set);
		return DMABUF_ENOMEM;
	}
	/* Generations make the id of a closed set stale for a long while. */
	set_generation[slot] = (set_generation[slot] + 1u) & 0x7FFFFFu;
	if (!set_generation[slot])
		set_generation[slot] = 1u;
	set->id = (int32_t)((set_generation[slot] << SLOT_BITS) | (slot + 1u));
	sets[slot] = set;
	pthread_mutex_unlock(&sets_lock);
	/* A SimulatedSoc reports the cache model's time (dmabuf_host_sim_cache_counts);
	 * turned on only once the open can no longer fail. */
	sim_cache_backend_time(set->parts.cache);
	*out = set->id;
	return 0;
}

int32_t dmabuf_host_peripherals_close(int32_t id)
{
	uint32_t slot = ((uint32_t)id & SLOT_MASK) - 1u;
	if (id <= 0 || slot >= DMABUF_HOST_MAX_PERIPHERAL_SETS)
		return DMABUF_EBADF;
	pthread_mutex_lock(&sets_lock);
	struct host_peripherals *set = sets[slot];
	if (!set || set->id != id) {
		pthread_mutex_unlock(&sets_lock);
		return DMABUF_EBADF;
	}
	if (--set->opens > 0) {
		pthread_mutex_unlock(&sets_lock);
		return 0;
	}
	sets[slot] = NULL;
	pthread_mutex_unlock(&sets_lock);

	struct dmabuf_host_heap_parts parts;
	if (dmabuf_host_heap_parts(set->heap, &parts) == 0) {
		uint64_t deadline = sim_now(parts.soc) + DRAIN_NS;
		sim_peripherals_run_until(set->peripherals, deadline);
		for (uint32_t i = 0; i < DMABUF_HOST_MAX_REQUESTS; i++)
			if (set->requests[i].held)
				dmabuf_fence_put(parts.fences, set->requests[i].request.done);
		/* Cannot refuse now: every request has had ten virtual seconds. */
		sim_board_peripherals_destroy(set->board, true);
		sim_peripherals_destroy(set->peripherals);
	} else {
		/* The heap went first, and with it the simulator the peripherals
		 * ran on: their memory is freed only if nothing was pending
		 * (the documented misuse costs a leak, never a dangling access);
		 * the fence pool went with the heap: no hook to remove. */
		sim_board_peripherals_destroy(set->board, false);
		sim_peripherals_destroy(set->peripherals);
	}
	free(set);
	return 0;
}

int32_t dmabuf_host_peripherals_run_until(int32_t id, int64_t when_ns)
{
	struct host_peripherals *set = set_lookup(id);
	if (!set)
		return DMABUF_EBADF;
	if (when_ns < 0)
		return DMABUF_EINVAL;
	sim_peripherals_run_until(set->peripherals, (uint64_t)when_ns);
	return 0;
}

int32_t dmabuf_host_peripherals_wait(int32_t id, const int32_t *fences, int32_t count, int64_t timeout_ns)
{
	struct host_peripherals *set = set_lookup(id);
	if (!set)
		return DMABUF_EBADF;
	if (!fences || count <= 0)
		return DMABUF_EINVAL;
	return sim_peripherals_wait(set->peripherals, fences, (uint32_t)count,
				    timeout_ns < 0 ? UINT64_MAX : (uint64_t)timeout_ns);
}

/* The held request of @fence, or NULL. */
static struct host_request *request_of(struct host_peripherals *set, int32_t fence)
{
	for (uint32_t i = 0; i < DMABUF_HOST_MAX_REQUESTS; i++)
		if (set->requests[i].held && set->requests[i].request.done == fence)
			return &set->requests[i];
	return NULL;
}

/* A slot for a new request: free, or released by the caller and completed.
 * Once released, only the peripheral's reference keeps the fence alive, and
 * only until its signal: a status other than 0 (signalled, or a stale
 * handle) means the peripheral has let go of the request. */
static struct host_request *request_slot(struct host_peripherals *set)
{
	for (uint32_t i = 0; i < DMABUF_HOST_MAX_REQUESTS; i++) {
		struct host_request *r = &set->requests[i];
		if (!r->used || (!r->held && dmabuf_fence_status(set->parts.fences, r->request.done) != 0))
			return r;
	}
	return NULL;
}

/* After a peripheral accepted (err 0) or refused the request in @slot. */
static int32_t request_accepted(struct host_request *slot, int err)
{
	if (err)
		return err;
	slot->used = true;
	slot->held = true;
	return slot->request.done;
}

int32_t dmabuf_host_peripherals_request(int32_t id, int32_t fence, int64_t *values, int32_t count)
{
	struct host_peripherals *set = set_lookup(id);
	if (!set)
		return DMABUF_EBADF;
	if (!values || count < 4)
		return DMABUF_EINVAL;
	struct host_request *r = request_of(set, fence);
	if (!r)
		return DMABUF_ENOENT;
	values[0] = r->request.sequence;
	values[1] = (int64_t)r->request.start_ns;
	values[2] = (int64_t)r->request.end_ns;
	values[3] = dmabuf_fence_status(set->parts.fences, fence);
	return 0;
}

int32_t dmabuf_host_peripherals_release(int32_t id, int32_t fence)
{
	struct host_peripherals *set = set_lookup(id);
	if (!set)
		return DMABUF_EBADF;
	struct host_request *r = request_of(set, fence);
	if (!r)
		return DMABUF_ENOENT;
	r->held = false;
	return dmabuf_fence_put(set->parts.fences, fence);
}

/* @values (count of them) into a mapping, as dmabuf_host_map returned it. */
static int mapping_from(const int32_t *values, int32_t count, struct dmabuf_mapping *m)
{
	if (!values || count < DMABUF_VALUES_MAPPING)
		return DMABUF_EINVAL;
	dmabuf_values_to_mapping(values, m);
	return 0;
}

/* A configuration value: in [1, UINT32_MAX] where @positive, else [0, UINT32_MAX]. */
static bool config_u32(int64_t value, bool positive)
{
	return value >= (positive ? 1 : 0) && value <= (int64_t)UINT32_MAX;
}

/* Store a new peripheral of one kind (room checked before creating it); @retval its id. */
#define ADD_PERIPHERAL(array, count, device) ((array)[(count)] = (device), (int32_t)++(count))

/* The peripheral @index names in @array (ids are 1-based), or NULL. */
#define FIND_PERIPHERAL(array, count, index) \
	((index) > 0 && (uint32_t)(index) <= (count) ? (array)[(index) - 1] : NULL)

/* ---- camera --------------------------------------------------------------------- */

int32_t dmabuf_host_camera_create(int32_t id, const int64_t *config, int32_t count)
{
	struct host_peripherals *set = set_lookup(id);
	struct sim_camera *camera;
	if (!set)
		return DMABUF_EBADF;
	if (!config || count < 5 || !config_u32(config[0], true) || !config_u32(config[1], true) ||
	    config[3] <= 0 || !config_u32(config[4], true))
		return DMABUF_EINVAL;
	if (set->camera_count == DMABUF_HOST_MAX_PERIPHERALS)
		return DMABUF_ENOMEM;
	struct sim_camera_config c = { (uint32_t)config[0], (uint32_t)config[1], (uint64_t)config[2],
				       (uint64_t)config[3], (uint32_t)config[4] };
	int err = sim_camera_create(set->peripherals, &c, &camera);
	return err ? err : ADD_PERIPHERAL(set->cameras, set->camera_count, camera);
}

int32_t dmabuf_host_camera_capture(int32_t id, int32_t camera, const int32_t *mapping, int32_t count)
{
	struct host_peripherals *set = set_lookup(id);
	struct dmabuf_mapping m;
	if (!set)
		return DMABUF_EBADF;
	struct sim_camera *device = FIND_PERIPHERAL(set->cameras, set->camera_count, camera);
	if (!device || mapping_from(mapping, count, &m))
		return DMABUF_EINVAL;
	struct host_request *slot = request_slot(set);
	if (!slot)
		return DMABUF_ENOMEM;
	return request_accepted(slot, sim_camera_queue(device, &m, &slot->request));
}

/* captured, missed, queued of @device into @values. */
static int32_t camera_stats(const struct sim_camera *device, int64_t *values, int32_t count)
{
	struct sim_camera_stats stats;
	if (!device || !values || count < 3)
		return DMABUF_EINVAL;
	sim_camera_stats(device, &stats);
	values[0] = stats.captured;
	values[1] = stats.missed;
	values[2] = stats.queued;
	return 0;
}

int32_t dmabuf_host_camera_stats(int32_t id, int32_t camera, int64_t *values, int32_t count)
{
	struct host_peripherals *set = set_lookup(id);
	if (!set)
		return DMABUF_EBADF;
	return camera_stats(FIND_PERIPHERAL(set->cameras, set->camera_count, camera), values, count);
}

/* ---- display -------------------------------------------------------------------- */

int32_t dmabuf_host_display_create(int32_t id, const int64_t *config, int32_t count)
{
	struct host_peripherals *set = set_lookup(id);
	struct sim_display *display;
	if (!set)
		return DMABUF_EBADF;
	if (!config || count < 4 || !config_u32(config[0], true) || !config_u32(config[1], true) ||
	    config[2] <= 0 || !config_u32(config[3], true))
		return DMABUF_EINVAL;
	if (set->display_count == DMABUF_HOST_MAX_PERIPHERALS)
		return DMABUF_ENOMEM;
	struct sim_display_config c = { (uint32_t)config[0], (uint32_t)config[1], (uint64_t)config[2],
					(uint32_t)config[3], DMABUF_PIXEL_RGB565_BE };
	int err = sim_display_create(set->peripherals, &c, &display);
	return err ? err : ADD_PERIPHERAL(set->displays, set->display_count, display);
}

int32_t dmabuf_host_display_present(int32_t id, int32_t display, const int32_t *mapping, int32_t count)
{
	struct host_peripherals *set = set_lookup(id);
	struct dmabuf_mapping m;
	if (!set)
		return DMABUF_EBADF;
	struct sim_display *device = FIND_PERIPHERAL(set->displays, set->display_count, display);
	if (!device || mapping_from(mapping, count, &m))
		return DMABUF_EINVAL;
	struct host_request *slot = request_slot(set);
	if (!slot)
		return DMABUF_ENOMEM;
	return request_accepted(slot, sim_display_present(device, &m, &slot->request));
}

int32_t dmabuf_host_display_panel(int32_t id, int32_t display, uint8_t *out, int32_t length)
{
	struct host_peripherals *set = set_lookup(id);
	if (!set)
		return DMABUF_EBADF;
	struct sim_display *device = FIND_PERIPHERAL(set->displays, set->display_count, display);
	if (!device || !out || length <= 0)
		return DMABUF_EINVAL;
	return sim_display_read_panel(device, out, (uint32_t)length);
}

int32_t dmabuf_host_display_stats(int32_t id, int32_t display, int64_t *values, int32_t count)
{
	struct host_peripherals *set = set_lookup(id);
	struct sim_display_stats stats;
	if (!set)
		return DMABUF_EBADF;
	struct sim_display *device = FIND_PERIPHERAL(set->displays, set->display_count, display);
	if (!device || !values || count < 2)
		return DMABUF_EINVAL;
	sim_display_stats(device, &stats);
	values[0] = stats.scanouts;
	values[1] = stats.late_vsyncs;
	return 0;
}

/* ---- SPI panel -------------------------------------------------------------------- */

int32_t dmabuf_host_spi_panel_create(int32_t id, const int64_t *config, int32_t count)
{
	struct host_peripherals *set = set_lookup(id);
	struct sim_spi_panel *panel;
	if (!set)
		return DMABUF_EBADF;
	if (!config || count < 7)
		return DMABUF_EINVAL;
	for (int i = 0; i < 7; i++)
		if (!config_u32(config[i], i != 2 && i != 3)) /* glass_x, glass_y may be 0 */
			return DMABUF_EINVAL;
	if (set->panel_count == DMABUF_HOST_MAX_PERIPHERALS)
		return DMABUF_ENOMEM;
	struct sim_spi_panel_config c = { (uint32_t)config[0], (uint32_t)config[1], (uint32_t)config[2],
					  (uint32_t)config[3], (uint32_t)config[4], (uint32_t)config[5],
					  (uint32_t)config[6], false };
	int err = sim_spi_panel_create(set->peripherals, &c, &panel);
	return err ? err : ADD_PERIPHERAL(set->panels, set->panel_count, panel);
}

int32_t dmabuf_host_spi_panel_write(int32_t id, int32_t panel, const int32_t *mapping, int32_t count,
				    int32_t offset, int32_t stride, const int32_t *window)
{
	struct host_peripherals *set = set_lookup(id);
	struct dmabuf_mapping m;
	if (!set)
		return DMABUF_EBADF;
	struct sim_spi_panel *device = FIND_PERIPHERAL(set->panels, set->panel_count, panel);
	if (!device || mapping_from(mapping, count, &m) || offset < 0 || stride < 0 || !window ||
	    window[0] < 0 || window[1] < 0 || window[2] < 0 || window[3] < 0)
		return DMABUF_EINVAL;
	struct sim_spi_window w = { (uint32_t)window[0], (uint32_t)window[1], (uint32_t)window[2],
				    (uint32_t)window[3] };
	struct host_request *slot = request_slot(set);
	if (!slot)
		return DMABUF_ENOMEM;
	return request_accepted(slot, sim_spi_panel_write(device, &m, (uint32_t)offset, (uint32_t)stride, &w,
							  &slot->request));
}

int32_t dmabuf_host_spi_panel_glass(int32_t id, int32_t panel, uint8_t *out, int32_t length)
{
	struct host_peripherals *set = set_lookup(id);
	if (!set)
		return DMABUF_EBADF;
	struct sim_spi_panel *device = FIND_PERIPHERAL(set->panels, set->panel_count, panel);
	if (!device || !out || length <= 0)
		return DMABUF_EINVAL;
	return sim_spi_panel_read_glass(device, out, (uint32_t)length);
}

int32_t dmabuf_host_spi_panel_stats(int32_t id, int32_t panel, int64_t *values, int32_t count)
{
	struct host_peripherals *set = set_lookup(id);
	struct sim_spi_panel_stats stats;
	if (!set)
		return DMABUF_EBADF;
	struct sim_spi_panel *device = FIND_PERIPHERAL(set->panels, set->panel_count, panel);
	if (!device || !values || count < 3)
		return DMABUF_EINVAL;
	sim_spi_panel_stats(device, &stats);
	values[0] = stats.transfers;
	values[1] = stats.dma_jobs;
	values[2] = (int64_t)stats.bytes;
	return 0;
}

/* ---- the board's peripherals (the public Camera, ScanoutDisplay, SpiPanel) ------- */

/* The peripheral @peripheral (1-based registry index) of @heap's set, or NULL. */
static struct dmabuf_peripheral *board_peripheral(int32_t heap, int32_t peripheral)
{
	struct host_peripherals *set = set_of_heap(heap);
	if (!set || !set_lookup(set->id))
		return NULL;
	return dmabuf_peripheral_at(sim_board_peripherals_registry(set->board), peripheral);
}

int32_t dmabuf_host_peripheral_open(int32_t heap, const char *name, int32_t kind, int32_t width, int32_t height,
				    int32_t format)
{
	int32_t id;
	if (!name || width < 0 || height < 0 || format < 0)
		return DMABUF_EINVAL;
	int32_t err = dmabuf_host_peripherals_open(heap, &id);
	if (err)
		return err;
	/* paired with dmabuf_host_peripherals_close in dmabuf_host_peripheral_close */
	struct dmabuf_frame_format f = { (uint32_t)width, (uint32_t)height, (uint32_t)format };
	int32_t result = dmabuf_peripheral_open(sim_board_peripherals_registry(set_lookup(id)->board), name,
						(uint32_t)kind, &f);
	if (result < 0)
		dmabuf_host_peripherals_close(id);
	return result;
}

int32_t dmabuf_host_peripheral_formats(int32_t heap, const char *name, int32_t kind)
{
	int32_t id;
	if (!name || kind < 0)
		return DMABUF_EINVAL;
	int32_t err = dmabuf_host_peripherals_open(heap, &id);
	if (err)
		return err;
	const struct dmabuf_peripheral *p =
		dmabuf_peripheral_find(sim_board_peripherals_registry(set_lookup(id)->board), name, (uint32_t)kind);
	int32_t formats = p ? (int32_t)p->constraints.formats : DMABUF_ENOENT;
	dmabuf_host_peripherals_close(id);
	return formats;
}

int32_t dmabuf_host_peripheral_frame_size(int32_t heap, const char *name, int32_t *values, int32_t count)
{
	int32_t id;
	if (!name || !values || count < (int32_t)DMABUF_VALUES_FRAME_SIZE)
		return DMABUF_EINVAL;
	int32_t err = dmabuf_host_peripherals_open(heap, &id);
	if (err)
		return err;
	const struct dmabuf_peripheral *p =
		dmabuf_peripheral_find(sim_board_peripherals_registry(set_lookup(id)->board), name, 0);
	if (p)
		dmabuf_values_from_frame_size(values, p);
	dmabuf_host_peripherals_close(id);
	return p ? 0 : DMABUF_ENOENT;
}

int32_t dmabuf_host_peripheral_close(int32_t heap, int32_t peripheral)
{
	struct host_peripherals *set = set_of_heap(heap);
	if (!set || !board_peripheral(heap, peripheral))
		return DMABUF_EBADF;
	return dmabuf_host_peripherals_close(set->id);
}

int32_t dmabuf_host_peripheral_info(int32_t heap, int32_t peripheral, int32_t *values, int32_t count)
{
	struct dmabuf_peripheral *p = board_peripheral(heap, peripheral);
	if (!p)
		return DMABUF_EBADF;
	if (!values || count < (int32_t)DMABUF_PERIPHERAL_INFO_VALUES)
		return DMABUF_EINVAL;
	dmabuf_peripheral_info(p, values);
	return 0;
}

int32_t dmabuf_host_peripheral_device(int32_t heap, int32_t peripheral, char *out, int32_t length)
{
	struct dmabuf_peripheral *p = board_peripheral(heap, peripheral);
	if (!p)
		return DMABUF_EBADF;
	if (!out || length <= 0)
		return DMABUF_EINVAL;
	int32_t n = (int32_t)strlen(p->device);
	if (n >= length)
		return DMABUF_ERANGE;
	memcpy(out, p->device, (size_t)n + 1u);
	return n;
}

int32_t dmabuf_host_peripheral_capture(int32_t heap, int32_t peripheral, const int32_t *mapping, int32_t count)
{
	struct dmabuf_peripheral *p = board_peripheral(heap, peripheral);
	struct dmabuf_mapping m;
	dmabuf_fence_t done;
	if (!p)
		return DMABUF_EBADF;
	if (mapping_from(mapping, count, &m))
		return DMABUF_EINVAL;
	int err = dmabuf_camera_capture(p, &m, &done);
	return err ? err : done;
}

int32_t dmabuf_host_peripheral_present(int32_t heap, int32_t peripheral, const int32_t *mapping, int32_t count)
{
	struct dmabuf_peripheral *p = board_peripheral(heap, peripheral);
	struct dmabuf_mapping m;
	dmabuf_fence_t released;
	if (!p)
		return DMABUF_EBADF;
	if (mapping_from(mapping, count, &m))
		return DMABUF_EINVAL;
	int err = dmabuf_display_present(p, &m, &released);
	return err ? err : released;
}

int32_t dmabuf_host_peripheral_write_rect(int32_t heap, int32_t peripheral, const int32_t *mapping, int32_t count,
					  int32_t offset, int32_t stride, const int32_t *window)
{
	struct dmabuf_peripheral *p = board_peripheral(heap, peripheral);
	struct dmabuf_mapping m;
	dmabuf_fence_t done;
	if (!p)
		return DMABUF_EBADF;
	if (mapping_from(mapping, count, &m) || offset < 0 || stride < 0 || !window || window[0] < 0 || window[1] < 0 ||
	    window[2] < 0 || window[3] < 0)
		return DMABUF_EINVAL;
	struct dmabuf_rect w = { (uint32_t)window[0], (uint32_t)window[1], (uint32_t)window[2], (uint32_t)window[3] };
	int err = dmabuf_spi_panel_write(p, &m, (uint32_t)offset, (uint32_t)stride, &w, &done);
	return err ? err : done;
}

int32_t dmabuf_host_peripheral_command(int32_t heap, int32_t peripheral, int32_t command, const uint8_t *parameters,
				       int32_t count)
{
	struct dmabuf_peripheral *p = board_peripheral(heap, peripheral);
	dmabuf_fence_t done;
	if (!p)
		return DMABUF_EBADF;
	if (command < 0 || count < 0 || (count > 0 && !parameters))
		return DMABUF_EINVAL;
	int err = dmabuf_spi_panel_command(p, (uint32_t)command, parameters, (uint32_t)count, &done);
	return err ? err : done;
}

int32_t dmabuf_host_peripheral_completion(int32_t heap, int32_t peripheral, int32_t fence, int64_t *values,
					  int32_t count)
{
	struct dmabuf_peripheral *p = board_peripheral(heap, peripheral);
	struct dmabuf_completion completion;
	if (!p)
		return DMABUF_EBADF;
	if (!values || count < DMABUF_VALUES_COMPLETION)
		return DMABUF_EINVAL;
	int err = dmabuf_peripheral_completion(p, fence, &completion);
	if (err)
		return err;
	dmabuf_values_from_completion(values, &completion);
	return 0;
}

int32_t dmabuf_host_peripheral_read_glass(int32_t heap, int32_t peripheral, uint8_t *out, int32_t length)
{
	struct dmabuf_peripheral *p = board_peripheral(heap, peripheral);
	if (!p)
		return DMABUF_EBADF;
	if (!out || length <= 0)
		return DMABUF_EINVAL;
	const struct sim_display *display = sim_peripheral_display(p);
	const struct sim_spi_panel *panel = sim_peripheral_spi_panel(p);
	if (display)
		return sim_display_read_panel(display, out, (uint32_t)length);
	return panel ? sim_spi_panel_read_glass(panel, out, (uint32_t)length) : DMABUF_EINVAL;
}

int32_t dmabuf_host_peripheral_camera_stats(int32_t heap, int32_t peripheral, int64_t *values, int32_t count)
{
	struct dmabuf_peripheral *p = board_peripheral(heap, peripheral);
	return p ? camera_stats(sim_peripheral_camera(p), values, count) : DMABUF_EBADF;
}

int32_t dmabuf_host_sim_set_scene(int32_t id, int64_t seed)
{
	struct host_peripherals *set = set_lookup(id);
	if (!set)
		return DMABUF_EBADF;
	sim_board_peripherals_set_scene(set->board, (uint64_t)seed);
	return 0;
}

int32_t dmabuf_host_sim_set_display_formats(int32_t id, int32_t formats)
{
	struct host_peripherals *set = set_lookup(id);
	if (!set)
		return DMABUF_EBADF;
	return formats <= 0 ? DMABUF_EINVAL : sim_board_peripherals_set_display_formats(set->board, (uint32_t)formats);
}

int32_t dmabuf_host_sim_set_camera_size(int32_t id, int32_t width, int32_t height)
{
	struct host_peripherals *set = set_lookup(id);
	if (!set)
		return DMABUF_EBADF;
	return width <= 0 || height <= 0 ? DMABUF_EINVAL
					 : sim_board_peripherals_set_camera_size(set->board, (uint32_t)width, (uint32_t)height);
}

int32_t dmabuf_host_sim_set_camera_formats(int32_t id, int32_t formats)
{
	struct host_peripherals *set = set_lookup(id);
	if (!set)
		return DMABUF_EBADF;
	return formats <= 0 ? DMABUF_EINVAL : sim_board_peripherals_set_camera_formats(set->board, (uint32_t)formats);
}
