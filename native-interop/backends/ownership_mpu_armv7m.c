/*
 * Strict ownership on the ARMv7-M MPU (ARMv7-M ARM §B3.5 MPU registers,
 * §B3.2.15 CFSR / MMFAR): see dmabuf/ownership.h for the contract and the
 * coverage rule.
 */
#if defined(DMABUF_BACKEND_CORTEX_M7)

#include <stdint.h>

#include "dmabuf/errors.h"
#include "dmabuf/ownership.h"

#define SCB_SHCSR (*(volatile uint32_t *)0xE000ED24u)
#define SCB_CFSR (*(volatile uint32_t *)0xE000ED28u)
#define SCB_MMFAR (*(volatile const uint32_t *)0xE000ED34u)
#define MPU_TYPE (*(volatile const uint32_t *)0xE000ED90u)
#define MPU_CTRL (*(volatile uint32_t *)0xE000ED94u)
#define MPU_RNR (*(volatile uint32_t *)0xE000ED98u)
#define MPU_RBAR (*(volatile uint32_t *)0xE000ED9Cu)
#define MPU_RASR (*(volatile uint32_t *)0xE000EDA0u)

#define SHCSR_MEMFAULTENA (1u << 16)
#define CFSR_MMFSR_MASK 0xFFu
#define MMFSR_DACCVIOL (1u << 1)
#define MMFSR_MMARVALID (1u << 7)
#define MPU_CTRL_ENABLE (1u << 0)
#define MPU_CTRL_PRIVDEFENA (1u << 2)
#define RASR_ENABLE 1u
#define RASR_XN (1u << 28) /* AP = 000 (no access), TEX/S/C/B = 0: attributes are moot */

/* Smallest region (32 bytes) and the smallest that has subregions. */
#define MPU_MIN_LOG2 5u
#define MPU_SUBREGION_MIN_LOG2 8u

static inline void barrier(void)
{
	__asm volatile("dsb 0xF\n\tisb 0xF" ::: "memory");
}

/* Bytes of [start, end) the region [block, block + 2^log2) can cover, and the
 * subregions it must disable so it covers nothing else. */
static uint64_t cover_block(uint64_t block, uint32_t log2, uint64_t start, uint64_t end, uint8_t *disabled)
{
	uint64_t bytes = (uint64_t)1 << log2;
	if (log2 < MPU_SUBREGION_MIN_LOG2) {
		*disabled = 0;
		return block >= start && block + bytes <= end ? bytes : 0;
	}
	uint64_t sub = bytes / 8, covered = 0;
	uint8_t mask = 0;
	for (uint32_t i = 0; i < 8; i++) {
		uint64_t s = block + i * sub;
		if (s >= start && s + sub <= end)
			covered += sub;
		else
			mask |= (uint8_t)(1u << i);
	}
	*disabled = mask;
	return covered;
}

/* Try every region size, for the block holding the first byte and the one
 * holding the last (a buffer straddles at most one boundary of a block at
 * least its size). The smallest size wins ties. */
void dmabuf_mpu_cover(uintptr_t start, size_t size, struct dmabuf_mpu_cover *out)
{
	uint64_t first = start, end = (uint64_t)start + size;
	*out = (struct dmabuf_mpu_cover){ 0 };
	if (!size)
		return;
	for (uint32_t log2 = MPU_MIN_LOG2; log2 < 32; log2++) {
		uint64_t mask = ~(((uint64_t)1 << log2) - 1);
		uint64_t blocks[2] = { first & mask, (end - 1) & mask };
		for (uint32_t b = 0; b < 2; b++) {
			uint8_t disabled;
			uint64_t covered = cover_block(blocks[b], log2, first, end, &disabled);
			if (covered > out->covered) {
				out->base = (uint32_t)blocks[b];
				out->size_log2 = log2;
				out->disabled_subregions = disabled;
				out->covered = (uint32_t)covered;
			}
		}
		if (out->covered == size)
			return;
	}
}

int dmabuf_mpu_ownership_init(struct dmabuf_mpu_ownership *mpu, uint32_t first_region)
{
	uint32_t regions = (MPU_TYPE >> 8) & 0xFFu;
	*mpu = (struct dmabuf_mpu_ownership){ 0 };
	if (regions > DMABUF_MPU_MAX_REGIONS)
		regions = DMABUF_MPU_MAX_REGIONS;
	if (first_region >= regions)
		return DMABUF_ENOTSUP;
	mpu->first_region = (uint8_t)first_region;
	mpu->region_count = (uint8_t)regions;
	for (uint32_t r = first_region; r < regions; r++) {
		MPU_RNR = r;
		MPU_RASR = 0;
	}
	SCB_SHCSR |= SHCSR_MEMFAULTENA;
	MPU_CTRL |= MPU_CTRL_PRIVDEFENA | MPU_CTRL_ENABLE;
	barrier();
	return 0;
}

static void region_disable(uint32_t region)
{
	MPU_RNR = region;
	MPU_RASR = 0;
	barrier();
}

static int device_owned(void *priv, void *cpu, size_t size, const char *name)
{
	struct dmabuf_mpu_ownership *mpu = priv;
	struct dmabuf_mpu_cover cover;
	dmabuf_mpu_cover((uintptr_t)cpu, size, &cover);
	if (!cover.covered) {
		mpu->refused++;
		return DMABUF_ENOTSUP;
	}
	for (uint32_t r = mpu->first_region; r < mpu->region_count; r++) {
		struct dmabuf_mpu_slot *slot = &mpu->slots[r];
		if (slot->cpu)
			continue;
		*slot = (struct dmabuf_mpu_slot){ (uintptr_t)cpu, (uint32_t)size, cover.covered, name, false };
		MPU_RNR = r;
		MPU_RBAR = cover.base;
		MPU_RASR = RASR_XN | ((uint32_t)cover.disabled_subregions << 8) |
			   ((cover.size_log2 - 1) << 1) | RASR_ENABLE;
		barrier();
		return 0;
	}
	mpu->refused++;
	return DMABUF_ENOMEM;
}

static void cpu_owned(void *priv, void *cpu, size_t size)
{
	struct dmabuf_mpu_ownership *mpu = priv;
	(void)size;
	for (uint32_t r = mpu->first_region; r < mpu->region_count; r++) {
		if (mpu->slots[r].cpu != (uintptr_t)cpu)
			continue;
		if (!mpu->slots[r].lifted)
			region_disable(r);
		mpu->slots[r] = (struct dmabuf_mpu_slot){ 0 };
		return;
	}
}

bool dmabuf_mpu_fault(struct dmabuf_mpu_ownership *mpu, struct dmabuf_mpu_fault *fault)
{
	uint32_t mmfsr = SCB_CFSR & CFSR_MMFSR_MASK;
	if (!(mmfsr & MMFSR_MMARVALID) || !(mmfsr & MMFSR_DACCVIOL))
		return false;
	uintptr_t address = SCB_MMFAR;
	for (uint32_t r = mpu->first_region; r < mpu->region_count; r++) {
		struct dmabuf_mpu_slot *slot = &mpu->slots[r];
		if (!slot->cpu || slot->lifted || address < slot->cpu || address - slot->cpu >= slot->size)
			continue;
		*fault = (struct dmabuf_mpu_fault){ slot->name, address, slot->cpu };
		slot->lifted = true;
		region_disable(r);
		SCB_CFSR = mmfsr; /* write-one-to-clear */
		barrier();
		return true;
	}
	return false;
}

const struct dmabuf_ownership_ops dmabuf_ownership_mpu = {
	.device_owned = device_owned,
	.cpu_owned = cpu_owned,
};

#endif /* DMABUF_BACKEND_CORTEX_M7 */
