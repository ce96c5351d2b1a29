/*
 * The reference model (reference_model.h): state and semantics of the
 * contracts, written as plainly as possible so that it fails differently
 * from the core when either is wrong.
 */
#include "reference_model.h"

#include <string.h>

int32_t model_handle(enum model_handle_type type, uint16_t generation, uint32_t slot)
{
	return (int32_t)(((uint32_t)type << 28) | ((uint32_t)generation << 16) | slot);
}

uint16_t model_next_generation(uint16_t generation)
{
	return generation == 4095 ? 1 : (uint16_t)(generation + 1);
}

/* ---- slot FIFOs ------------------------------------------------------------- */

void model_slots_init(struct model_slots *slots, uint32_t count)
{
	slots->head = 0;
	slots->count = count;
	for (uint32_t i = 0; i < count; i++)
		slots->slot[i] = (uint16_t)i;
}

uint16_t model_slots_front(const struct model_slots *slots)
{
	return slots->count ? slots->slot[slots->head % 16] : 0xFFFFu;
}

void model_slots_take(struct model_slots *slots)
{
	slots->head = (slots->head + 1) % 16;
	slots->count--;
}

void model_slots_give(struct model_slots *slots, uint16_t slot)
{
	slots->slot[(slots->head + slots->count) % 16] = slot;
	slots->count++;
}

/* ---- bookkeeping of one call -------------------------------------------------- */

void model_reset(struct model *m)
{
	memset(m, 0, sizeof(*m));
	for (uint32_t i = 0; i < MODEL_MAX_BUFFERS; i++) {
		m->buffers[i].generation = 1;
		m->buffers[i].region = -1;
	}
	for (uint32_t i = 0; i < MODEL_MAX_ATTACHMENTS; i++)
		m->attachments[i].generation = 1;
	for (uint32_t i = 0; i < MODEL_MAX_FENCES; i++)
		m->fences[i].generation = 1;
	for (uint32_t i = 0; i < MODEL_MAX_CALLBACKS; i++)
		m->callbacks[i].fence_slot = -1;
	m->next_context = 1;
}

void model_context_reinit(struct model *m, bool checker)
{
	for (uint32_t i = 0; i < MODEL_MAX_BUFFERS; i++) {
		m->buffers[i] = (struct model_buffer){ .generation = 1, .region = -1 };
	}
	for (uint32_t i = 0; i < MODEL_MAX_ATTACHMENTS; i++)
		m->attachments[i] = (struct model_attachment){ .generation = 1 };
	model_slots_init(&m->free_buffers, m->max_buffers);
	model_slots_init(&m->free_attachments, m->max_attachments);
	m->in_use = m->peak = m->failed = 0;
	m->cache_stats = (struct dmabuf_cache_stats){ 0 };
	m->checker = checker;
	memset(m->known, 0, sizeof(m->known));
}

void model_pool_reinit(struct model *m)
{
	for (uint32_t i = 0; i < MODEL_MAX_FENCES; i++)
		m->fences[i] = (struct model_fence){ .generation = 1 };
	model_slots_init(&m->free_fences, m->fence_capacity);
	m->fence_in_use = m->fence_peak = m->fence_failed = m->fence_signalled = 0;
	m->next_context = 1;
}

void model_begin_call(struct model *m)
{
	memset(m->expect_messages, 0, sizeof(m->expect_messages));
	m->expect_cache_count = 0;
	m->expect_ownership_count = 0;
}

void model_expect_message(struct model *m, int sink)
{
#ifdef DMABUF_DEBUG
	m->expect_messages[sink]++;
#else
	(void)m;
	(void)sink;
#endif
}

void model_remember_dead(struct model *m, int32_t handle)
{
	m->dead[m->dead_next] = handle;
	m->dead_next = (m->dead_next + 1) % 8;
}

/* ---- buffers and attachments ------------------------------------------------ */

int32_t model_buffer_handle(const struct model *m, uint32_t slot)
{
	return model_handle(MODEL_BUFFER, m->buffers[slot].generation, slot);
}

int32_t model_attachment_handle(const struct model *m, uint32_t slot)
{
	return model_handle(MODEL_ATTACHMENT, m->attachments[slot].generation, slot);
}

int model_buffer_lookup(const struct model *m, int32_t handle)
{
	for (uint32_t i = 0; i < m->max_buffers; i++)
		if (m->buffers[i].refcount && model_buffer_handle(m, i) == handle)
			return (int)i;
	return -1;
}

int model_attachment_lookup(const struct model *m, int32_t handle)
{
	for (uint32_t i = 0; i < m->max_attachments; i++)
		if (m->attachments[i].live && model_attachment_handle(m, i) == handle)
			return (int)i;
	return -1;
}

uint32_t model_attachment_count(const struct model *m, uint32_t buffer)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < m->max_attachments; i++)
		n += m->attachments[i].live && m->attachments[i].buffer == buffer;
	return n;
}

uint32_t model_mapping_count(const struct model *m, uint32_t buffer)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < m->max_attachments; i++)
		n += m->attachments[i].live && m->attachments[i].buffer == buffer && m->attachments[i].direction;
	return n;
}

bool model_attached(const struct model *m, uint32_t buffer, uint32_t device)
{
	for (uint32_t i = 0; i < m->max_attachments; i++)
		if (m->attachments[i].live && m->attachments[i].buffer == buffer && m->attachments[i].device == device)
			return true;
	return false;
}

uint32_t model_granules(uint32_t region, uint32_t size)
{
	uint32_t line = fuzz_regions[region].cache_line;
	return size / line + (size % line != 0);
}

uint32_t model_padded(const struct model *m, uint32_t buffer)
{
	const struct model_buffer *b = &m->buffers[buffer];
	return model_granules((uint32_t)b->region, b->size) * fuzz_regions[b->region].cache_line;
}

dmabuf_addr_t model_dma(const struct model *m, uint32_t buffer)
{
	const struct model_buffer *b = &m->buffers[buffer];
	return fuzz_regions[b->region].bus_base + b->offset;
}

uint8_t *model_cpu(const struct model *m, uint32_t buffer)
{
	const struct model_buffer *b = &m->buffers[buffer];
	return (uint8_t *)fuzz_region_memory[b->region] + b->offset;
}

static bool in_one_window(uint32_t device, uint64_t start, uint64_t end)
{
	const struct dmabuf_device_desc *dev = &fuzz_devices[device];
	for (uint32_t w = 0; w < dev->window_count; w++)
		if (start >= dev->windows[w].base && end <= (uint64_t)dev->windows[w].base + dev->windows[w].size)
			return true;
	return false;
}

bool model_device_reaches(uint32_t device, dmabuf_addr_t addr, uint32_t bytes)
{
	return in_one_window(device, addr, (uint64_t)addr + bytes) && addr % fuzz_devices[device].align == 0;
}

static bool region_suits_device(uint32_t region, uint32_t device)
{
	const struct dmabuf_region_desc *r = &fuzz_regions[region];
	return in_one_window(device, r->bus_base, (uint64_t)r->bus_base + r->size) &&
	       r->cache_line % fuzz_devices[device].align == 0;
}

bool model_region_suits(const struct model *m, uint32_t buffer, uint32_t region, int extra_device)
{
	if (extra_device >= 0 && !region_suits_device(region, (uint32_t)extra_device))
		return false;
	for (uint32_t i = 0; i < m->max_attachments; i++)
		if (m->attachments[i].live && m->attachments[i].buffer == buffer &&
		    !region_suits_device(region, m->attachments[i].device))
			return false;
	return true;
}

uint32_t model_segment_bytes(uint32_t device)
{
	const struct dmabuf_device_desc *dev = &fuzz_devices[device];
	return dev->max_segment_bytes / dev->align * dev->align;
}

uint32_t model_segment_count(uint32_t device, uint32_t size)
{
	uint32_t segment = model_segment_bytes(device);
	return (uint32_t)(((uint64_t)size + segment - 1) / segment);
}

/* ---- heap ----------------------------------------------------------------------- */

uint32_t model_heap_sure_fit(uint32_t granules)
{
	/* Classes: sizes below 16 have a class each; above, each power of two
	 * is cut in 16 classes. The search starts at the class of the request
	 * rounded up to the next class boundary, so every block it finds fits:
	 * a gap at least that boundary is always found. */
	if (granules < 16)
		return granules;
	uint32_t top = 31u - (uint32_t)__builtin_clz(granules);
	uint32_t rounded = granules + (1u << (top - 4)) - 1u;
	uint32_t rounded_top = 31u - (uint32_t)__builtin_clz(rounded);
	return rounded & ~((1u << (rounded_top - 4)) - 1u);
}

struct span {
	uint32_t start;
	uint32_t end;
};

/* Occupied spans of @region in bytes, sorted. */
static uint32_t occupied(const struct model *m, uint32_t region, struct span spans[MODEL_MAX_BUFFERS])
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < m->max_buffers; i++) {
		const struct model_buffer *b = &m->buffers[i];
		if (b->refcount && b->region == (int32_t)region)
			spans[n++] = (struct span){ b->offset, b->offset + model_padded(m, i) };
	}
	for (uint32_t i = 1; i < n; i++)
		for (uint32_t j = i; j > 0 && spans[j - 1].start > spans[j].start; j--) {
			struct span t = spans[j];
			spans[j] = spans[j - 1];
			spans[j - 1] = t;
		}
	return n;
}

uint32_t model_largest_gap(const struct model *m, uint32_t region)
{
	struct span spans[MODEL_MAX_BUFFERS];
	uint32_t n = occupied(m, region, spans);
	uint32_t at = 0, largest = 0;
	for (uint32_t i = 0; i <= n; i++) {
		uint32_t end = i < n ? spans[i].start : fuzz_regions[region].size;
		if (end - at > largest)
			largest = end - at;
		if (i < n)
			at = spans[i].end;
	}
	return largest / fuzz_regions[region].cache_line;
}

bool model_block_free(const struct model *m, uint32_t region, uint32_t offset, uint32_t bytes)
{
	struct span spans[MODEL_MAX_BUFFERS];
	uint32_t n = occupied(m, region, spans);
	if ((uint64_t)offset + bytes > fuzz_regions[region].size)
		return false;
	for (uint32_t i = 0; i < n; i++)
		if (offset < spans[i].end && spans[i].start < offset + bytes)
			return false;
	return true;
}

uint32_t model_largest_free_bytes(const struct model *m)
{
	uint32_t largest = 0;
	for (uint32_t r = 0; r < FUZZ_REGION_COUNT; r++) {
		uint32_t bytes = model_largest_gap(m, r) * fuzz_regions[r].cache_line;
		if (bytes > largest)
			largest = bytes;
	}
	return largest;
}

uint32_t model_region_order(uint32_t flags, uint32_t order[FUZZ_REGION_COUNT])
{
	uint32_t n = 0;
	if (flags & DMABUF_EXPORT_PREFER_UNCACHED) {
		for (uint32_t r = 0; r < FUZZ_REGION_COUNT; r++)
			if (!(fuzz_regions[r].flags & DMABUF_REGION_CACHEABLE))
				order[n++] = r;
		for (uint32_t r = 0; r < FUZZ_REGION_COUNT; r++)
			if (fuzz_regions[r].flags & DMABUF_REGION_CACHEABLE)
				order[n++] = r;
	} else {
		for (uint32_t r = 0; r < FUZZ_REGION_COUNT; r++)
			order[n++] = r;
	}
	return n;
}

void model_place(struct model *m, uint32_t buffer, uint32_t region, uint32_t offset)
{
	struct model_buffer *b = &m->buffers[buffer];
	b->region = (int32_t)region;
	b->offset = offset;
	/* Fresh storage may hold a previous owner's dirty lines. */
	b->cache_state = MODEL_DIRTY;
	m->in_use += model_padded(m, buffer);
	if (m->in_use > m->peak)
		m->peak = m->in_use;
	memset(m->known[buffer], 0, b->size);
}

void model_unplace(struct model *m, uint32_t buffer)
{
	m->in_use -= model_padded(m, buffer);
	m->buffers[buffer].region = -1;
}

/* ---- cache hand-overs ----------------------------------------------------------- */

bool model_cacheable(const struct model *m, uint32_t buffer)
{
	return (fuzz_regions[m->buffers[buffer].region].flags & DMABUF_REGION_CACHEABLE) != 0;
}

/* Bytes of the lines holding [offset, offset + length) of @buffer. */
static uint32_t line_bytes(const struct model *m, uint32_t buffer, uint32_t offset, uint32_t length,
			   uint32_t *first)
{
	uint32_t line = fuzz_regions[m->buffers[buffer].region].cache_line;
	*first = offset / line * line;
	return (uint32_t)(((uint64_t)offset + length + line - 1) / line * line) - *first;
}

static bool whole_cache(const struct model *m, uint32_t bytes)
{
	return m->whole_ops && m->threshold != 0 && bytes > m->threshold;
}

int model_cache_op(struct model *m, uint32_t buffer, bool clean, uint32_t offset, uint32_t length)
{
	uint32_t line = fuzz_regions[m->buffers[buffer].region].cache_line;
	uint32_t first;
	uint32_t bytes = line_bytes(m, buffer, offset, length, &first);
	struct fuzz_cache_op op;
	bool whole = whole_cache(m, bytes);
	if (whole)
		op = (struct fuzz_cache_op){ clean ? FUZZ_CLEAN_ALL : FUZZ_CLEAN_INVALIDATE_ALL, 0, 0, 0 };
	else
		op = (struct fuzz_cache_op){ clean ? FUZZ_CLEAN : FUZZ_INVALIDATE, (uintptr_t)(model_cpu(m, buffer) + first),
					     bytes, line };
	if (m->expect_cache_count < FUZZ_CACHE_LOG)
		m->expect_cache[m->expect_cache_count] = op;
	m->expect_cache_count++;
	int err = m->pending_cache_failure;
	m->pending_cache_failure = 0;
	if (err)
		return err;
	if (whole)
		m->cache_stats.whole_cache_ops++;
	else if (clean)
		m->cache_stats.lines_cleaned += bytes / line;
	else
		m->cache_stats.lines_invalidated += bytes / line;
	return 0;
}

int model_cache_clean_invalidate(struct model *m, uint32_t buffer, uint32_t offset, uint32_t length)
{
	uint32_t first;
	if (whole_cache(m, line_bytes(m, buffer, offset, length, &first)))
		return model_cache_op(m, buffer, false, offset, length); /* clean_invalidate_all */
	int err = model_cache_op(m, buffer, true, offset, length);
	return err ? err : model_cache_op(m, buffer, false, offset, length);
}

/* ---- ownership ------------------------------------------------------------------- */

bool model_device_owned(const struct model *m, uint32_t buffer)
{
	return model_mapping_count(m, buffer) > 0 && m->buffers[buffer].cpu_direction == 0;
}

void model_ownership_changed(struct model *m, uint32_t buffer, bool was)
{
	bool now = model_device_owned(m, buffer);
	if (!m->ownership || now == was)
		return;
	if (m->expect_ownership_count < FUZZ_OWNERSHIP_LOG)
		m->expect_ownership[m->expect_ownership_count] =
			(struct fuzz_ownership_call){ now, (uintptr_t)model_cpu(m, buffer), model_padded(m, buffer) };
	m->expect_ownership_count++;
}

/* ---- fences ----------------------------------------------------------------------- */

int32_t model_fence_handle(const struct model *m, uint32_t slot)
{
	return model_handle(MODEL_FENCE, m->fences[slot].generation, slot);
}

int model_fence_lookup(const struct model *m, int32_t handle)
{
	for (uint32_t i = 0; i < m->fence_capacity; i++)
		if (m->fences[i].refcount && model_fence_handle(m, i) == handle)
			return (int)i;
	return -1;
}

int model_fence_status_quiet(const struct model *m, int32_t handle)
{
	int slot = model_fence_lookup(m, handle);
	return slot < 0 ? DMABUF_EBADF : m->fences[slot].status;
}

int model_fence_create(struct model *m, uint32_t context, uint32_t seqno, int32_t *out)
{
	if (!out || context == 0) {
		model_expect_message(m, FUZZ_SINK_POOL);
		return DMABUF_EINVAL;
	}
	if (m->free_fences.count == 0) {
		m->fence_failed++;
		model_expect_message(m, FUZZ_SINK_POOL);
		return DMABUF_ENOMEM;
	}
	uint16_t slot = model_slots_front(&m->free_fences);
	model_slots_take(&m->free_fences);
	struct model_fence *f = &m->fences[slot];
	f->refcount = 1;
	f->context = context;
	f->seqno = seqno;
	f->status = 0;
	f->callback_count = 0;
	if (++m->fence_in_use > m->fence_peak)
		m->fence_peak = m->fence_in_use;
	*out = model_fence_handle(m, slot);
	return 0;
}

bool model_fence_try_get(struct model *m, int32_t handle)
{
	int slot = model_fence_lookup(m, handle);
	if (slot < 0)
		return false;
	m->fences[slot].refcount++;
	return true;
}

int model_fence_get(struct model *m, int32_t handle)
{
	if (model_fence_try_get(m, handle))
		return 0;
	model_expect_message(m, FUZZ_SINK_POOL);
	return DMABUF_EBADF;
}

/* Mark signalled, then run the callbacks in registration order; each runs
 * once and is unregistered before it runs. */
static void signal_now(struct model *m, uint32_t slot, int32_t status)
{
	struct model_fence *f = &m->fences[slot];
	int32_t handle = model_fence_handle(m, slot);
	uint8_t callbacks[MODEL_MAX_CALLBACKS];
	uint32_t count = f->callback_count;
	memcpy(callbacks, f->callbacks, count);
	f->status = status;
	f->callback_count = 0;
	m->fence_signalled++;
	for (uint32_t i = 0; i < count; i++) {
		struct model_callback *cb = &m->callbacks[callbacks[i]];
		cb->fence_slot = -1;
		if (m->run_count < MODEL_RUN_LOG)
			m->runs[m->run_count] = (struct model_callback_run){ callbacks[i], handle, status };
		m->run_count++;
		if (cb->kind == MODEL_CB_SIGNAL)
			(void)model_fence_signal(m, cb->other, 1);
		else if (cb->kind == MODEL_CB_PUT_SELF)
			(void)model_fence_put(m, handle);
	}
}

int model_fence_put(struct model *m, int32_t handle)
{
	if (handle == 0)
		return 0;
	int slot = model_fence_lookup(m, handle);
	bool orphaned = false;
	if (slot >= 0 && m->fences[slot].refcount == 1 && m->fences[slot].status == 0 &&
	    m->fences[slot].callback_count > 0) {
		/* Nobody is left to signal it: its callbacks get -EIO now. */
		orphaned = true;
		signal_now(m, (uint32_t)slot, DMABUF_EIO);
	}
	slot = model_fence_lookup(m, handle);
	if (slot >= 0 && --m->fences[slot].refcount == 0) {
		m->fences[slot].generation = model_next_generation(m->fences[slot].generation);
		model_slots_give(&m->free_fences, (uint16_t)slot);
		m->fence_in_use--;
	}
	if (orphaned)
		model_expect_message(m, FUZZ_SINK_POOL);
	if (slot < 0 && !orphaned) {
		model_expect_message(m, FUZZ_SINK_POOL);
		return DMABUF_EBADF;
	}
	return 0;
}

int model_fence_signal(struct model *m, int32_t handle, int32_t status)
{
	int slot = model_fence_lookup(m, handle);
	if (slot < 0 || m->fences[slot].status != 0) {
		model_expect_message(m, FUZZ_SINK_POOL);
		return slot < 0 ? DMABUF_EBADF : DMABUF_EPERM;
	}
	signal_now(m, (uint32_t)slot, status);
	return 0;
}

/* ---- reservations ----------------------------------------------------------------- */

/*
 * The table only ever touches its fences through the pool's API, so a
 * handle it holds that went stale (the caller dropped a reference it did not
 * own) costs a report wherever the table uses it, and nothing else: the
 * helpers below behave like those calls.
 */
int model_fence_status_reported(struct model *m, int32_t handle)
{
	if (model_fence_lookup(m, handle) < 0)
		model_expect_message(m, FUZZ_SINK_POOL);
	return model_fence_status_quiet(m, handle);
}

/* dmabuf_fence_wait(handle, 0). */
static int fence_poll(struct model *m, int32_t handle)
{
	int status = model_fence_status_reported(m, handle);
	if (model_fence_lookup(m, handle) < 0)
		return DMABUF_EBADF;
	return status == 0 ? DMABUF_ETIMEDOUT : status == 1 ? 0 : status;
}

void model_resv_clear(struct model *m, uint32_t buffer)
{
	struct model_buffer *b = &m->buffers[buffer];
	int32_t exclusive = b->exclusive;
	int32_t shared[DMABUF_RESV_MAX_SHARED];
	uint32_t count = b->shared_count;
	memcpy(shared, b->shared, sizeof(shared));
	b->exclusive = 0;
	b->shared_count = 0;
	(void)model_fence_put(m, exclusive);
	for (uint32_t i = 0; i < count; i++)
		(void)model_fence_put(m, shared[i]);
}

void model_resv_prune(struct model *m, uint32_t buffer)
{
	struct model_buffer *b = &m->buffers[buffer];
	if (b->exclusive && model_fence_status_reported(m, b->exclusive) == 1) {
		int32_t done = b->exclusive;
		b->exclusive = 0;
		(void)model_fence_put(m, done);
	}
	uint32_t kept = 0;
	for (uint32_t i = 0; i < b->shared_count; i++) {
		int32_t fence = b->shared[i];
		if (model_fence_status_reported(m, fence) == 0)
			b->shared[kept++] = fence;
		else
			(void)model_fence_put(m, fence);
	}
	b->shared_count = kept;
}

/* The fences an access conflicts with, in wait order. */
static uint32_t resv_conflicts(const struct model *m, uint32_t buffer, bool write, int32_t out[1 + DMABUF_RESV_MAX_SHARED])
{
	const struct model_buffer *b = &m->buffers[buffer];
	uint32_t n = 0;
	if (b->exclusive)
		out[n++] = b->exclusive;
	for (uint32_t i = 0; write && i < b->shared_count; i++)
		out[n++] = b->shared[i];
	return n;
}

int model_resv_test(struct model *m, uint32_t buffer, bool write)
{
	int32_t set[1 + DMABUF_RESV_MAX_SHARED];
	uint32_t n = resv_conflicts(m, buffer, write, set);
	int result = 1;
	for (uint32_t i = 0; i < n; i++)
		if (model_fence_status_reported(m, set[i]) == 0)
			result = 0;
	return result;
}

/* Wait (timeout 0) holding a reference on each conflicting fence, prune the
 * entry, drop the references: the order in which fences die decides the
 * order their slots come back, which fence handles show. A failed writer
 * makes the bytes untrustworthy for readers only. */
static int wait_and_prune(struct model *m, uint32_t buffer, bool write, const int32_t *set, uint32_t count)
{
	bool has_exclusive = m->buffers[buffer].exclusive != 0;
	for (uint32_t i = 0; i < count; i++)
		(void)model_fence_get(m, set[i]);
	int result = 0;
	for (uint32_t i = 0; i < count && result != DMABUF_ETIMEDOUT; i++) {
		int waited = fence_poll(m, set[i]);
		if (waited == DMABUF_ETIMEDOUT)
			result = DMABUF_ETIMEDOUT;
		else if (waited < 0 && i == 0 && has_exclusive && !write && result == 0)
			result = waited;
	}
	model_resv_prune(m, buffer);
	for (uint32_t i = 0; i < count; i++)
		(void)model_fence_put(m, set[i]);
	return result;
}

int model_resv_wait(struct model *m, uint32_t buffer, bool write)
{
	int32_t set[1 + DMABUF_RESV_MAX_SHARED];
	uint32_t count = resv_conflicts(m, buffer, write, set);
	return wait_and_prune(m, buffer, write, set, count);
}

void model_resv_cpu_rewrote(struct model *m, uint32_t buffer)
{
	struct model_buffer *b = &m->buffers[buffer];
	int slot = b->exclusive ? model_fence_lookup(m, b->exclusive) : -1;
	if (slot >= 0 && m->fences[slot].status < 0) {
		int32_t failed = b->exclusive;
		b->exclusive = 0;
		(void)model_fence_put(m, failed);
	}
}

int model_resv_implicit(struct model *m, uint32_t buffer, bool write)
{
	if (m->buffers[buffer].explicit_sync)
		return 0;
	int32_t set[1 + DMABUF_RESV_MAX_SHARED];
	uint32_t count = resv_conflicts(m, buffer, write, set);
	if (count == 0)
		return 0;
	int result = wait_and_prune(m, buffer, write, set, count);
	if (result == DMABUF_ETIMEDOUT)
		model_expect_message(m, FUZZ_SINK_CTX);
	return result;
}

/* ---- frame queue -------------------------------------------------------------------- */

void model_queue_init(struct model *m, const int32_t *buffers, uint32_t count, uint32_t mode)
{
	struct model_queue *q = &m->queue;
	memset(q, 0, sizeof(*q));
	q->live = true;
	q->count = count;
	q->mode = mode;
	for (uint32_t i = 0; i < count; i++) {
		q->frames[i].state = DMABUF_FRAME_FREE;
		q->frames[i].buffer = buffers[i];
		/* A stack: frame 0 is handed out first. */
		q->free_stack[i] = count - 1 - i;
	}
	q->free_count = count;
}

static void ready_pop(struct model_queue *q, uint32_t *index)
{
	*index = q->ready[0];
	memmove(q->ready, q->ready + 1, (q->ready_count - 1) * sizeof(q->ready[0]));
	q->ready_count--;
}

bool model_queue_refused(struct model *m)
{
	if (m->queue.live && m->queue.count)
		return false;
	model_expect_message(m, FUZZ_SINK_FALLBACK);
	return true;
}

int model_queue_dequeue(struct model *m, uint32_t *index)
{
	struct model_queue *q = &m->queue;
	if (model_queue_refused(m))
		return DMABUF_EINVAL;
	if (q->closed)
		return DMABUF_ESHUTDOWN; /* not starved: nothing was waited for */
	if (q->count && q->free_count) {
		*index = q->free_stack[--q->free_count];
	} else if (q->count && q->mode == DMABUF_QUEUE_LATEST && q->ready_count) {
		ready_pop(q, index); /* the oldest READY frame, never seen: a drop */
		q->dropped++;
	} else {
		q->starved++;
		return DMABUF_ETIMEDOUT;
	}
	q->frames[*index].state = DMABUF_FRAME_PRODUCING;
	return 0;
}

int model_queue_acquire(struct model *m, uint32_t *index)
{
	struct model_queue *q = &m->queue;
	if (model_queue_refused(m))
		return DMABUF_EINVAL;
	if (q->closed)
		return DMABUF_ESHUTDOWN;
	if (!q->count || !q->ready_count)
		return DMABUF_ETIMEDOUT;
	ready_pop(q, index);
	q->frames[*index].state = DMABUF_FRAME_CONSUMING;
	q->acquired++;
	return 0;
}

int model_queue_give(struct model *m, uint32_t index, uint32_t from, uint32_t to, uint64_t timestamp_us,
		     bool timestamp_known)
{
	struct model_queue *q = &m->queue;
	if (model_queue_refused(m))
		return DMABUF_EINVAL;
	if (index >= q->count) {
		model_expect_message(m, FUZZ_SINK_QUEUE);
		return DMABUF_EINVAL;
	}
	struct model_frame *frame = &q->frames[index];
	if (frame->state != from) {
		model_expect_message(m, FUZZ_SINK_QUEUE);
		return DMABUF_EPERM;
	}
	if (to == DMABUF_FRAME_READY && q->closed)
		return DMABUF_ESHUTDOWN; /* an expected end, not misuse: no message */
	frame->state = to;
	if (to == DMABUF_FRAME_READY) {
		frame->sequence = q->enqueued++;
		frame->timestamp_us = timestamp_us;
		frame->timestamp_known = timestamp_known;
		q->ready[q->ready_count++] = index;
	} else {
		q->free_stack[q->free_count++] = index;
	}
	return 0;
}

int model_queue_deinit(struct model *m)
{
	struct model_queue *q = &m->queue;
	if (model_queue_refused(m))
		return DMABUF_EINVAL;
	for (uint32_t i = 0; i < q->count; i++) {
		if (q->frames[i].state == DMABUF_FRAME_PRODUCING || q->frames[i].state == DMABUF_FRAME_CONSUMING) {
			model_expect_message(m, FUZZ_SINK_QUEUE);
			return DMABUF_EBUSY;
		}
	}
	q->count = 0;
	return 0;
}

int model_queue_close(struct model *m)
{
	if (model_queue_refused(m))
		return DMABUF_EINVAL;
	m->queue.closed = true;
	return 0;
}
