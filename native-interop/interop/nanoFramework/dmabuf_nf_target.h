/*
 * What the firmware provides to the nanoFramework.DmaBuf interop (the board
 * integration in firmware/, not this folder): the one DmaBuf context of the
 * target and the board it was made for. The firmware creates the context at
 * boot (dmabuf_init with its cache backend and OS port) and passes
 * dmabuf_nf_report as dmabuf_config.report, so managed exceptions carry the
 * core's debug message.
 */
#ifndef DMABUF_NF_TARGET_H
#define DMABUF_NF_TARGET_H

#include "dmabuf/dmabuf.h"
#include "dmabuf/fence.h"
#include "dmabuf/peripheral.h"
#include "dmabuf/resv.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The target's context, or NULL when DMA buffers are not set up (managed
 * DmaHeap.Open then throws NotSupportedException). */
struct dmabuf_ctx *dmabuf_nf_context(void);

/* The board of that context (its name is what DmaHeap.Open accepts). */
const struct dmabuf_board *dmabuf_nf_board(void);

/* The fence pool and the reservation table of that context (resv.h), and
 * the timeline (dmabuf_fence_context_alloc) of fences made from C#. The
 * interop owns the pool's wake hook and the table's non-blocking mode: it
 * sets both on DmaHeap.Open (dmabuf_nf_prepare_waits, dmabuf_nf_native.h),
 * after the firmware made or, after a soft reboot, remade them. */
struct dmabuf_fence_pool *dmabuf_nf_fences(void);
struct dmabuf_resv_table *dmabuf_nf_resv(void);
uint32_t dmabuf_nf_fence_timeline(void);

/* The board's frame peripherals (dmabuf/peripheral.h): the simulator's back
 * end on a nanoCLR built with the simulated board, the chip adapters' on a
 * real board; NULL when the firmware has none (managed Camera, ScanoutDisplay
 * and SpiPanel opens then throw NotSupportedException). */
struct dmabuf_peripheral_registry *dmabuf_nf_peripherals(void);

/* dmabuf_report_fn keeping the last failure message for the managed side
 * (defined by the interop). nanoCLR runs managed threads on one native
 * thread, so the message read right after a failing call is that call's. */
void dmabuf_nf_report(void *user, const char *message);

#ifdef __cplusplus
}
#endif

#endif /* DMABUF_NF_TARGET_H */
