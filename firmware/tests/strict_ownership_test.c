/*
 * Strict ownership on the Cortex-M7 MPU (QEMU mps2-an500): while a device owns
 * a buffer, a CPU access to it raises MemManage, the handler names the buffer
 * and the access is retried once the protection is lifted.
 *
 * The buffers live in the board's PSRAM region (0x60000000), which nothing
 * else in the runner uses while these tests run.
 */
#include <stdint.h>
#include <string.h>

#include "boards.h"
#include "dmabuf/dmabuf.h"
#include "dmabuf/os.h"
#include "target_cortex_m7.h"
#include "unit.h"

#define PSRAM 0x60000000u

/* Every enabled (sub)region of @c lies inside [start, start + size), and
 * together they cover c->covered bytes: protection never spills over. */
static int cover_stays_inside(const struct dmabuf_mpu_cover *c, uint64_t start, uint64_t size)
{
	uint64_t block = (uint64_t)1 << c->size_log2, sub = c->size_log2 >= 8 ? block / 8 : block;
	uint64_t total = 0;
	for (uint32_t i = 0; i < block / sub; i++) {
		uint64_t s = c->base + i * sub;
		if (c->size_log2 >= 8 && (c->disabled_subregions & (1u << i)))
			continue;
		if (s < start || s + sub > start + size)
			return 0;
		total += sub;
	}
	return c->base % block == 0 && total == c->covered;
}

static void strict_cover_is_exact_for_an_aligned_power_of_two_buffer(void)
{
	struct dmabuf_mpu_cover c;
	dmabuf_mpu_cover(PSRAM, 4096, &c);
	UNIT_EQ(c.covered, 4096);
	UNIT_EQ(c.base, PSRAM);
	UNIT_EQ(c.size_log2, 12);
	UNIT_EQ(c.disabled_subregions, 0);
}

/* Ranges that no single region fits exactly: the chosen region covers only
 * whole subregions inside the buffer. 150 KB at a 32 KB boundary gets at least
 * the four 32 KB subregions of a 256 KB block. */
static void strict_cover_uses_subregions_and_never_spills(void)
{
	struct dmabuf_mpu_cover c;
	dmabuf_mpu_cover(PSRAM + 3 * 1024, 3 * 1024, &c); /* 3 KB at 3 KB */
	UNIT_ASSERT(cover_stays_inside(&c, PSRAM + 3 * 1024, 3 * 1024));
	UNIT_EQ(c.covered, 3 * 1024);

	dmabuf_mpu_cover(PSRAM + 32 * 1024, 153600, &c);
	UNIT_ASSERT(cover_stays_inside(&c, PSRAM + 32 * 1024, 153600));
	UNIT_ASSERT(c.covered >= 128 * 1024);

	uint32_t seed = 12345;
	for (int i = 0; i < 500; i++) {
		seed = seed * 1664525u + 1013904223u;
		uint32_t start = PSRAM + (seed >> 12) % (1u << 20) / 32 * 32;
		seed = seed * 1664525u + 1013904223u;
		uint32_t size = 32 + (seed >> 8) % (256u * 1024u) / 32 * 32;
		dmabuf_mpu_cover(start, size, &c);
		UNIT_ASSERT(cover_stays_inside(&c, start, size));
		UNIT_ASSERT(c.covered > 0); /* any 32-byte-aligned buffer has a 32-byte region */
	}
}

static void strict_stray_cpu_access_to_a_device_owned_buffer_faults_naming_it(void)
{
	volatile uint8_t *frame = (volatile uint8_t *)(uintptr_t)PSRAM;
	frame[100] = 0x42;
	struct dmabuf_mpu_fault fault;
	uint32_t before = target_mpu_faults(NULL);

	UNIT_EQ(dmabuf_ownership_mpu.device_owned(&target_mpu, (void *)frame, 4096, "frame0"), 0);
	uint8_t seen = frame[100]; /* faults, is reported, then retried */
	UNIT_EQ(target_mpu_faults(&fault), before + 1);
	UNIT_ASSERT(fault.name && strcmp(fault.name, "frame0") == 0);
	UNIT_EQ(fault.address, (uintptr_t)&frame[100]);
	UNIT_EQ(fault.buffer, (uintptr_t)frame);
	UNIT_EQ(seen, 0x42);

	/* The report lifted the protection: the next access passes. */
	frame[101] = 1;
	UNIT_EQ(target_mpu_faults(NULL), before + 1);
	dmabuf_ownership_mpu.cpu_owned(&target_mpu, (void *)frame, 4096);
}

static void strict_write_faults_and_memory_outside_the_buffer_stays_usable(void)
{
	volatile uint8_t *frame = (volatile uint8_t *)(uintptr_t)(PSRAM + 8192);
	struct dmabuf_mpu_fault fault;
	uint32_t before = target_mpu_faults(NULL);

	UNIT_EQ(dmabuf_ownership_mpu.device_owned(&target_mpu, (void *)frame, 4096, "frame1"), 0);
	frame[-1] = 7;     /* the byte before the buffer */
	frame[4096] = 8;   /* the byte after it */
	UNIT_EQ(target_mpu_faults(NULL), before);
	frame[4095] = 9;   /* inside: faults */
	UNIT_EQ(target_mpu_faults(&fault), before + 1);
	UNIT_ASSERT(strcmp(fault.name, "frame1") == 0);
	UNIT_EQ(fault.address, (uintptr_t)&frame[4095]);
	UNIT_EQ(frame[4095], 9); /* the retried store landed */
	dmabuf_ownership_mpu.cpu_owned(&target_mpu, (void *)frame, 4096);
}

/* With interrupts masked (inside a dmabuf_irq_lock section) MemManage cannot
 * preempt and escalates to HardFault: still reported with the name. */
static void strict_stray_access_with_interrupts_masked_is_reported_too(void)
{
	volatile uint8_t *frame = (volatile uint8_t *)(uintptr_t)(PSRAM + 12288);
	struct dmabuf_mpu_fault fault;
	uint32_t before = target_mpu_faults(NULL);
	UNIT_EQ(dmabuf_ownership_mpu.device_owned(&target_mpu, (void *)frame, 4096, "masked"), 0);
	dmabuf_irq_key_t key = dmabuf_irq_lock();
	frame[0] = 3;
	dmabuf_irq_unlock(key);
	UNIT_EQ(target_mpu_faults(&fault), before + 1);
	UNIT_ASSERT(strcmp(fault.name, "masked") == 0);
	UNIT_EQ(frame[0], 3);
	dmabuf_ownership_mpu.cpu_owned(&target_mpu, (void *)frame, 4096);
}

static void strict_buffer_returned_to_the_cpu_is_accessible_again(void)
{
	volatile uint8_t *frame = (volatile uint8_t *)(uintptr_t)(PSRAM + 16384);
	uint32_t before = target_mpu_faults(NULL);
	UNIT_EQ(dmabuf_ownership_mpu.device_owned(&target_mpu, (void *)frame, 1024, "frame2"), 0);
	dmabuf_ownership_mpu.cpu_owned(&target_mpu, (void *)frame, 1024);
	frame[0] = 1;
	frame[1023] = 2;
	UNIT_EQ(target_mpu_faults(NULL), before);
}

/* Each device-owned buffer takes one MPU region; when none is left the buffer
 * stays unprotected and the refusal is counted, nothing breaks. */
static void strict_runs_out_of_mpu_regions_gracefully(void)
{
	uint32_t free_regions = target_mpu.region_count - target_mpu.first_region;
	uint32_t refused = target_mpu.refused;
	uintptr_t base = PSRAM + 65536;
	for (uint32_t i = 0; i < free_regions; i++)
		UNIT_EQ(dmabuf_ownership_mpu.device_owned(&target_mpu, (void *)(base + i * 1024), 1024, "many"), 0);
	UNIT_EQ(dmabuf_ownership_mpu.device_owned(&target_mpu, (void *)(base + free_regions * 1024), 1024,
						  "one-too-many"),
		DMABUF_ENOMEM);
	UNIT_EQ(target_mpu.refused, refused + 1);
	for (uint32_t i = 0; i < free_regions; i++)
		dmabuf_ownership_mpu.cpu_owned(&target_mpu, (void *)(base + i * 1024), 1024);
	*(volatile uint8_t *)base = 1; /* all lifted */
}

static void *mps2_region_memory[2];
static uint64_t mps2_storage[1024];

/* Through the core: dmabuf_map hands the buffer to the device and the MPU
 * makes it no-access; a CPU access opened while a device only reads lifts the
 * protection for its duration; dmabuf_unmap gives the buffer back. */
static void strict_core_mapped_buffer_faults_by_name_until_unmapped(void)
{
	const struct dmabuf_board *board = &dmabuf_board_qemu_mps2_an500;
	for (uint32_t i = 0; i < board->region_count; i++)
		mps2_region_memory[i] = (void *)(uintptr_t)board->regions[i].bus_base;
	struct dmabuf_config config = {
		.board = board,
		.region_memory = mps2_region_memory,
		.cache = &dmabuf_cache_cortex_m7,
		.cache_priv = (void *)board,
		.ownership = &dmabuf_ownership_mpu,
		.ownership_priv = &target_mpu,
		.max_buffers = 2,
		.max_attachments = 2,
		.checker = true,
	};
	struct dmabuf_ctx *ctx;
	UNIT_EQ(dmabuf_init(&ctx, mps2_storage, sizeof(mps2_storage), &config), 0);
	dmabuf_handle_t frame, attachment;
	struct dmabuf_mapping map;
	struct dmabuf_mpu_fault fault;
	void *cpu;
	UNIT_EQ(dmabuf_export(ctx, 4096, "camera0", 0, &frame), 0);
	UNIT_EQ(dmabuf_attach(ctx, frame, dmabuf_device_find(ctx, "test-dma"), &attachment), 0);
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, frame, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE, &cpu), 0);
	volatile uint8_t *bytes = cpu;
	bytes[10] = 0x77;
	UNIT_EQ(dmabuf_end_cpu_access(ctx, frame, DMABUF_TO_DEVICE, 0, DMABUF_WHOLE), 0);
	uint32_t before = target_mpu_faults(NULL);

	UNIT_EQ(dmabuf_map(ctx, attachment, DMABUF_TO_DEVICE, &map), 0);
	uint8_t stray = bytes[10]; /* the device owns it: faults, named */
	UNIT_EQ(target_mpu_faults(&fault), before + 1);
	UNIT_ASSERT(strcmp(fault.name, "camera0") == 0);
	UNIT_EQ(fault.address, (uintptr_t)&bytes[10]);
	UNIT_EQ(stray, 0x77);
	UNIT_EQ(dmabuf_unmap(ctx, attachment, &map, DMABUF_TO_DEVICE), 0);
	bytes[11] = 1; /* back with the CPU: no fault */
	UNIT_EQ(target_mpu_faults(NULL), before + 1);

	UNIT_EQ(dmabuf_map(ctx, attachment, DMABUF_TO_DEVICE, &map), 0);
	UNIT_EQ(dmabuf_begin_cpu_access(ctx, frame, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE, &cpu), 0);
	uint8_t read_in_window = bytes[10]; /* inside a CPU access: allowed */
	UNIT_EQ(dmabuf_end_cpu_access(ctx, frame, DMABUF_FROM_DEVICE, 0, DMABUF_WHOLE), 0);
	UNIT_EQ(target_mpu_faults(NULL), before + 1);
	UNIT_EQ(read_in_window, 0x77);
	stray = bytes[12]; /* protected again after the window closed */
	UNIT_EQ(target_mpu_faults(&fault), before + 2);
	UNIT_EQ(fault.address, (uintptr_t)&bytes[12]);
	UNIT_EQ(dmabuf_unmap(ctx, attachment, &map, DMABUF_TO_DEVICE), 0);

	UNIT_EQ(dmabuf_detach(ctx, attachment), 0);
	UNIT_EQ(dmabuf_put(ctx, frame), 0);
	UNIT_EQ(dmabuf_deinit(ctx), 0);
	for (uint32_t r = target_mpu.first_region; r < target_mpu.region_count; r++)
		UNIT_EQ(target_mpu.slots[r].cpu, 0); /* every region given back */
}

const struct unit_suite suite_strict_ownership = UNIT_SUITE(strict_ownership,
	UNIT_TEST(strict_cover_is_exact_for_an_aligned_power_of_two_buffer),
	UNIT_TEST(strict_cover_uses_subregions_and_never_spills),
	UNIT_TEST(strict_stray_cpu_access_to_a_device_owned_buffer_faults_naming_it),
	UNIT_TEST(strict_write_faults_and_memory_outside_the_buffer_stays_usable),
	UNIT_TEST(strict_stray_access_with_interrupts_masked_is_reported_too),
	UNIT_TEST(strict_buffer_returned_to_the_cpu_is_accessible_again),
	UNIT_TEST(strict_runs_out_of_mpu_regions_gracefully),
	UNIT_TEST(strict_core_mapped_buffer_faults_by_name_until_unmapped));
