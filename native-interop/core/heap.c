/*
 * The heap: an O(1) segregated-fit allocator (TLSF style) over the board's
 * regions, one index per region.
 *
 * DOC: heap
 *
 * Sizes count granules, the region's cache line: every block starts on a line
 * and covers whole lines, so no two buffers ever share a cache line and a
 * line invalidate can never destroy a neighbour's data.
 *
 * Block descriptors live OUT OF BAND in a pool carved from the context
 * storage; the heap never writes into DMA memory (a header there would be a
 * CPU store dirtying a line next to a buffer, exactly what the cache rules
 * forbid).
 *
 * Free blocks sit on class lists. A size s (granules) belongs to class
 * (fl, sl): fl = 0, sl = s for s < 16; otherwise fl = log2(s) - 3 and sl = the
 * next 4 bits below the top bit. Two bitmaps (which fl have any free block,
 * and per fl which sl) find the first non-empty class at or above a size with
 * two count-trailing-zeros, so alloc and free never loop over blocks:
 *
 *   alloc: take the head of the request's own class if it is big enough
 *          (the closest fit the index can name); else round the request up to
 *          the next class boundary (every block of that class or above fits)
 *          and take the head of the first non-empty class, unless the cut
 *          would cross into the other end (below); then the head of the
 *          highest class. Cut the block from the chosen block's low end if
 *          small, its high end if large (>= DMABUF_HEAP_LARGE_BYTES); the
 *          rest stays a free block.
 *   free:  merge at once with the free address-order neighbours (immediate
 *          coalescing: two free blocks are never adjacent), insert the result.
 *
 * Two-ended placement: small blocks (descriptors, transfers) pack upwards
 * from a region's start, large ones (frames) downwards from its end, so
 * the free space between them stays one run and a frame freed next to the
 * run merges back into it. On the pipeline trace (long-lived frames among
 * churning small buffers) this keeps 99 % of the free bytes in the largest
 * block on average, against 96 % for exhaustive best fit
 * (docs/BENCHMARKS.md, "Allocator quality").
 *
 * The good-fit rounding means a request can fail while a block of its own
 * class that is big enough exists behind the class head (at most 1/16 of a
 * power of two of sizes is affected). That is the price of the time bound.
 *
 * Thread safety: none; the context lock is held by every caller.
 */
#include "bitscan.h"
#include "internal.h"

uint32_t dmabuf_heap_class(uint32_t granules)
{
	/* fl * 16 + sl of the header comment: for granules >= 16 that is
	 * (top - 4) * 16 + the top five bits (16 + sl); below, granules itself
	 * (shift 0). One number, no outputs through pointers: less code. */
	uint32_t top = dmabuf_log2_floor(granules | 1u);
	uint32_t shift = top > DMABUF_HEAP_SL_LOG2 ? top - DMABUF_HEAP_SL_LOG2 : 0;
	return (shift << DMABUF_HEAP_SL_LOG2) + (granules >> shift);
}

uint32_t dmabuf_heap_fl_count(uint32_t granules)
{
	return (dmabuf_heap_class(granules) >> DMABUF_HEAP_SL_LOG2) + 1u;
}

/*
 * Why 2 * max_buffers + region_count + 1 descriptors always suffice:
 * blocks tile every region and no two free blocks are adjacent, so each free
 * block is followed by an allocated block or by its region's end: free <=
 * allocated + region_count, and descriptors = allocated + free <=
 * 2 * allocated + region_count. Each buffer owns at most one block, except
 * while migrating, when it briefly owns its old and its new block: the
 * allocation of the new block, with all max_buffers buffers live, starts from
 * at most 2 * max_buffers + region_count descriptors and adds one (the split
 * tail); freeing the old block only merges. Hence the + 1.
 */
uint32_t dmabuf_heap_block_count(uint32_t max_buffers, uint32_t region_count)
{
	return 2u * max_buffers + region_count + 1u;
}


static uint16_t spare_take(struct dmabuf_heap *heap)
{
	uint16_t index = heap->spare;
	heap->spare = heap->blocks[index].next_free;
	return index;
}

static void spare_give(struct dmabuf_heap *heap, uint16_t index)
{
	struct dmabuf_heap_block *block = &heap->blocks[index];
	block->state = DMABUF_BLOCK_UNUSED;
	block->next_free = heap->spare;
	heap->spare = index;
}

static void list_insert(struct dmabuf_heap *heap, uint16_t index)
{
	struct dmabuf_heap_block *block = &heap->blocks[index];
	struct dmabuf_heap_region *region = &heap->regions[block->region];
	uint32_t class = dmabuf_heap_class(block->size);
	uint32_t fl = class >> DMABUF_HEAP_SL_LOG2, sl = class % DMABUF_HEAP_SL_COUNT;
	uint16_t *head = &region->heads[class];

	block->state = DMABUF_BLOCK_FREE;
	block->prev_free = DMABUF_SLOT_NONE;
	block->next_free = *head;
	if (*head != DMABUF_SLOT_NONE)
		heap->blocks[*head].prev_free = index;
	*head = index;
	region->sl_bitmaps[fl] = (uint16_t)(region->sl_bitmaps[fl] | (1u << sl));
	region->fl_bitmap |= 1u << fl;
}

static void list_remove(struct dmabuf_heap *heap, uint16_t index)
{
	struct dmabuf_heap_block *block = &heap->blocks[index];
	struct dmabuf_heap_region *region = &heap->regions[block->region];
	uint32_t class = dmabuf_heap_class(block->size);
	uint32_t fl = class >> DMABUF_HEAP_SL_LOG2, sl = class % DMABUF_HEAP_SL_COUNT;

	if (block->next_free != DMABUF_SLOT_NONE)
		heap->blocks[block->next_free].prev_free = block->prev_free;
	if (block->prev_free != DMABUF_SLOT_NONE) {
		heap->blocks[block->prev_free].next_free = block->next_free;
		return;
	}
	region->heads[class] = block->next_free;
	if (block->next_free == DMABUF_SLOT_NONE) {
		region->sl_bitmaps[fl] = (uint16_t)(region->sl_bitmaps[fl] & ~(1u << sl));
		if (region->sl_bitmaps[fl] == 0)
			region->fl_bitmap &= ~(1u << fl);
	}
}

/* A free block of at least @granules, or DMABUF_SLOT_NONE. */
static uint16_t find_fit(const struct dmabuf_heap *heap, struct dmabuf_heap_region *region,
			 uint32_t granules, uint32_t large)
{
	bool small = granules < large;
	/* The request's own class first: its head, if big enough, is the
	 * closest fit the index can name. Above all it is how a hole left by a
	 * freed frame goes to the next frame of that size instead of being cut
	 * into by a larger class's search (on the fragmenting trace this alone
	 * brings the largest free block from 72 % to 76 % of the free bytes on
	 * average, level with exhaustive best fit: docs/BENCHMARKS.md). */
	uint16_t found = region->heads[dmabuf_heap_class(granules)];
	if (found != DMABUF_SLOT_NONE && heap->blocks[found].size >= granules)
		return found;

	/* Round up to the next class boundary: every block from there on
	 * fits, and the two bitmaps find the first non-empty class. */
	uint32_t rounded = granules;
	if (granules >= DMABUF_HEAP_SL_COUNT)
		rounded += (1u << (dmabuf_log2_floor(granules) - DMABUF_HEAP_SL_LOG2)) - 1u;
	uint32_t class = dmabuf_heap_class(rounded);
	uint32_t fl = class >> DMABUF_HEAP_SL_LOG2, sl = class % DMABUF_HEAP_SL_COUNT;
	if (fl >= region->fl_count)
		return DMABUF_SLOT_NONE;
	uint32_t sl_map = region->sl_bitmaps[fl] & (~0u << sl);
	if (sl_map == 0) {
		uint32_t fl_map = region->fl_bitmap & (~0u << (fl + 1u));
		if (fl_map == 0)
			return DMABUF_SLOT_NONE;
		fl = dmabuf_lowest_bit(fl_map);
		sl_map = region->sl_bitmaps[fl];
	}
	found = region->heads[fl * DMABUF_HEAP_SL_COUNT + dmabuf_lowest_bit(sl_map)];

	/* Two-ended placement keeps small blocks at the region's low end and
	 * large ones (frames) at its high end (dmabuf_heap_alloc cuts each
	 * from that end of its free block). A cut touches one neighbour: the
	 * block below for a small one, above for a large one. If that
	 * neighbour is of the other kind, the new block would cross into the
	 * other's end (a small block beside a frame in a hole a frame left,
	 * waiting for its replacement; a frame among small blocks in a hole
	 * they left): take the largest free block instead, the run between the
	 * two ends. Its class is at or above the one found, so it fits. */
	const struct dmabuf_heap_block *block = &heap->blocks[found];
	uint16_t touched = small ? block->prev_phys : block->next_phys;
	if (touched == DMABUF_SLOT_NONE || (heap->blocks[touched].size < large) == small)
		return found;
	fl = dmabuf_log2_floor(region->fl_bitmap);
	return region->heads[fl * DMABUF_HEAP_SL_COUNT + dmabuf_log2_floor(region->sl_bitmaps[fl])];
}

void dmabuf_heap_init(struct dmabuf_heap *heap, const struct dmabuf_board *board,
		      struct dmabuf_heap_block *blocks, uint32_t block_count,
		      struct dmabuf_heap_region *regions, uint16_t *class_storage)
{
	heap->blocks = blocks;
	heap->regions = regions;
	heap->block_count = block_count;

	heap->spare = DMABUF_SLOT_NONE;
	for (uint32_t i = block_count; i-- > 0;)
		spare_give(heap, (uint16_t)i);

	for (uint32_t r = 0; r < board->region_count; r++) {
		const struct dmabuf_region_desc *desc = &board->regions[r];
		struct dmabuf_heap_region *region = &regions[r];
		region->line_shift = (uint8_t)dmabuf_log2_floor(desc->cache_line);
		region->granules = desc->size >> region->line_shift;
		region->fl_count = (uint8_t)dmabuf_heap_fl_count(region->granules);
		region->heads = class_storage;
		class_storage += region->fl_count * DMABUF_HEAP_SL_COUNT;
		region->sl_bitmaps = class_storage;
		class_storage += region->fl_count;
		for (uint32_t i = 0; i < region->fl_count * DMABUF_HEAP_SL_COUNT; i++)
			region->heads[i] = DMABUF_SLOT_NONE;

		uint16_t index = spare_take(heap);
		struct dmabuf_heap_block *block = &blocks[index];
		block->size = region->granules;
		block->prev_phys = DMABUF_SLOT_NONE;
		block->next_phys = DMABUF_SLOT_NONE;
		block->region = (uint8_t)r;
		region->first_block = index;
		list_insert(heap, index);
		heap->capacity += desc->size;
	}
}

uint16_t dmabuf_heap_alloc(struct dmabuf_heap *heap, uint32_t region_index, uint32_t granules, uint16_t owner)
{
	struct dmabuf_heap_region *region = &heap->regions[region_index];
	if (granules > region->granules)
		return DMABUF_SLOT_NONE;
	uint32_t large = DMABUF_HEAP_LARGE_BYTES >> region->line_shift;
	uint16_t index = find_fit(heap, region, granules, large);
	if (index == DMABUF_SLOT_NONE)
		return DMABUF_SLOT_NONE;

	list_remove(heap, index);
	if (heap->blocks[index].size > granules) {
		/* Two-ended placement: a small block is cut from the low end of
		 * the free block, a large one from its high end, so small blocks
		 * pack upwards from the region's start, frames downwards from its
		 * end, and the free run between them stays whole. The pool
		 * cannot run dry here: see dmabuf_heap_block_count. */
		struct dmabuf_heap_block *low = &heap->blocks[index];
		uint16_t high_index = spare_take(heap);
		struct dmabuf_heap_block *high = &heap->blocks[high_index];
		bool small = granules < large;
		uint32_t low_size = small ? granules : low->size - granules;
		high->offset = low->offset + low_size;
		high->size = low->size - low_size;
		high->region = low->region;
		high->prev_phys = index;
		high->next_phys = low->next_phys;
		if (low->next_phys != DMABUF_SLOT_NONE)
			heap->blocks[low->next_phys].prev_phys = high_index;
		low->next_phys = high_index;
		low->size = low_size;
		if (small) {
			list_insert(heap, high_index);
		} else {
			list_insert(heap, index);
			index = high_index;
		}
	}
	struct dmabuf_heap_block *block = &heap->blocks[index];
	block->state = DMABUF_BLOCK_ALLOCATED;
	block->owner = owner;
	heap->in_use += granules << region->line_shift;
	if (heap->in_use > heap->peak)
		heap->peak = heap->in_use;
	return index;
}

/* @lower takes over its address-order successor @upper (both in the same region). */
static void absorb(struct dmabuf_heap *heap, uint16_t lower_index, uint16_t upper_index)
{
	struct dmabuf_heap_block *lower = &heap->blocks[lower_index];
	struct dmabuf_heap_block *upper = &heap->blocks[upper_index];
	lower->size += upper->size;
	lower->next_phys = upper->next_phys;
	if (upper->next_phys != DMABUF_SLOT_NONE)
		heap->blocks[upper->next_phys].prev_phys = lower_index;
	spare_give(heap, upper_index);
}

void dmabuf_heap_free(struct dmabuf_heap *heap, uint16_t index)
{
	struct dmabuf_heap_block *block = &heap->blocks[index];
	heap->in_use -= block->size << heap->regions[block->region].line_shift;

	uint16_t next = block->next_phys;
	if (next != DMABUF_SLOT_NONE && heap->blocks[next].state == DMABUF_BLOCK_FREE) {
		list_remove(heap, next);
		absorb(heap, index, next);
	}
	uint16_t prev = block->prev_phys;
	if (prev != DMABUF_SLOT_NONE && heap->blocks[prev].state == DMABUF_BLOCK_FREE) {
		list_remove(heap, prev);
		absorb(heap, prev, index);
		index = prev;
	}
	list_insert(heap, index);
}

/* Inlined into each caller so that release builds, which only ask for all
 * regions, keep the loop without the region test. */
static inline uint32_t largest_free(const struct dmabuf_heap *heap, uint32_t region)
{
	uint32_t largest = 0;
	for (uint32_t i = 0; i < heap->block_count; i++) {
		const struct dmabuf_heap_block *block = &heap->blocks[i];
		if (block->state != DMABUF_BLOCK_FREE || (region != DMABUF_ALL_REGIONS && block->region != region))
			continue;
		uint32_t bytes = block->size << heap->regions[block->region].line_shift;
		if (bytes > largest)
			largest = bytes;
	}
	return largest;
}

uint32_t dmabuf_heap_largest_free(const struct dmabuf_heap *heap)
{
	return largest_free(heap, DMABUF_ALL_REGIONS);
}

#ifdef DMABUF_DEBUG
uint32_t dmabuf_heap_largest_free_in(const struct dmabuf_heap *heap, uint32_t region)
{
	return largest_free(heap, region);
}
#endif
