/*
 * Cache coherency against a real DMA master (coherency.c): what the
 * Cortex-M7 backend's maintenance, as the core drives it, makes visible.
 */
#ifndef SELFTEST_COHERENCY_H
#define SELFTEST_COHERENCY_H

#include "dmabuf/dmabuf.h"

/* Run the checks on @ctx with the platform's DMA engine (or say why not),
 * printing one line per check. @retval the number of failed checks. */
unsigned coherency_check(struct dmabuf_ctx *ctx);

#endif /* SELFTEST_COHERENCY_H */
