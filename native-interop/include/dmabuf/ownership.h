/*
 * Strict ownership (optional): a hook that tells a platform protection unit
 * when a buffer's storage passes to the devices and when it comes back, so a
 * CPU access in between faults at the offending instruction instead of
 * silently racing the DMA (the Cortex-M7 MPU backend below).
 *
 * A buffer is DEVICE-OWNED while at least one device holds a mapping of it
 * and no CPU access is open. The core calls device_owned when a buffer
 * becomes device-owned (its first map, or end_cpu_access while mapped) and
 * cpu_owned when it stops (its last unmap, or begin_cpu_access while mapped).
 *
 * Both are called with the context lock held, never from an ISR, after the
 * cache hand-over of the same call. @cpu and @size are the buffer's whole
 * storage (line-aligned, line-padded); @name is the buffer's name, valid
 * until the buffer is freed (a mapped buffer cannot be), so a fault report
 * may keep the pointer. Strict mode is a debugging aid: whether protection
 * succeeded never changes what the core's call returns.
 */
#ifndef DMABUF_OWNERSHIP_H
#define DMABUF_OWNERSHIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
/* -Wshadow: struct and function of one name (see dmabuf.h). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wshadow"
extern "C" {
#endif

struct dmabuf_ownership_ops {
	/* Mandatory. Make [cpu, cpu + size) inaccessible to the CPU.
	 * @retval 0 protected (wholly or in part); -ENOMEM no protection
	 * resource free; -ENOTSUP the range cannot be protected at all. */
	int (*device_owned)(void *priv, void *cpu, size_t size, const char *name);

	/* Mandatory. Undo device_owned for the same @cpu, @size (a no-op if it
	 * failed or the protection was lifted by a fault report). */
	void (*cpu_owned)(void *priv, void *cpu, size_t size);
};

#if defined(DMABUF_BACKEND_CORTEX_M7)
/*
 * ARMv7-M MPU backend. One MPU region per device-owned buffer, taken from
 * [first_region, number of MPU regions): higher-numbered regions win over the
 * firmware's own lower ones, and the background map stays on (PRIVDEFENA).
 *
 * v7-M regions are a power of two in size, aligned to their size, with 8
 * subregions that can be disabled (regions of 256 bytes or more). A buffer is
 * covered by the one region that protects the most of it: the subregions
 * wholly inside the buffer are enabled, the others disabled, so memory
 * outside the buffer is never made inaccessible. A buffer whose start and end
 * fall on a subregion boundary of a block that holds it (e.g. power-of-two
 * sized and aligned frames, which the line-granular heap produces for the
 * first buffers of a region) is covered completely; others lose a margin at
 * each end, reported in bytes_protected.
 *
 * @priv: a struct dmabuf_mpu_ownership set up by dmabuf_mpu_ownership_init.
 */
#define DMABUF_MPU_MAX_REGIONS 16u

struct dmabuf_mpu_slot {
	uintptr_t cpu;            /* buffer storage; 0 = slot free */
	uint32_t size;
	uint32_t bytes_protected; /* what the region actually covers */
	const char *name;
	bool lifted;              /* protection removed by a fault report */
};

struct dmabuf_mpu_ownership {
	uint8_t first_region;
	uint8_t region_count;     /* MPU_TYPE.DREGION */
	uint32_t refused;         /* device_owned calls that protected nothing */
	struct dmabuf_mpu_slot slots[DMABUF_MPU_MAX_REGIONS];
};

/* What a region can do for [start, start + size): base, log2 of its size,
 * the disabled-subregion mask, and the bytes of the range it covers. */
struct dmabuf_mpu_cover {
	uint32_t base;
	uint32_t size_log2;
	uint8_t disabled_subregions;
	uint32_t covered;
};
void dmabuf_mpu_cover(uintptr_t start, size_t size, struct dmabuf_mpu_cover *out);

/* Read the MPU geometry, enable the MPU (background map on) and the MemManage
 * fault. @retval 0; -ENOTSUP no MPU or no region at or above @first_region. */
int dmabuf_mpu_ownership_init(struct dmabuf_mpu_ownership *mpu, uint32_t first_region);

/* A stray CPU access, as found by dmabuf_mpu_fault. */
struct dmabuf_mpu_fault {
	const char *name;         /* the buffer's name */
	uintptr_t address;        /* MMFAR: the byte accessed */
	uintptr_t buffer;         /* the buffer's storage */
};

/*
 * Call from the MemManage (and HardFault: a fault with interrupts masked
 * escalates) handler. If the fault is a data access inside a device-owned
 * buffer, fill *fault, lift that buffer's protection so the access retries
 * and succeeds, clear the fault status and return true; else change nothing
 * and return false.
 */
bool dmabuf_mpu_fault(struct dmabuf_mpu_ownership *mpu, struct dmabuf_mpu_fault *fault);

extern const struct dmabuf_ownership_ops dmabuf_ownership_mpu;
#endif /* DMABUF_BACKEND_CORTEX_M7 */

#ifdef __cplusplus
}
#pragma GCC diagnostic pop
#endif

#endif /* DMABUF_OWNERSHIP_H */
