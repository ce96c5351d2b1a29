//
// What the nanoFramework.DmaBuf interop asks of the firmware
// (native-interop/interop/nanoFramework/dmabuf_nf_target.h), provided by the
// firmware context of dmabuf_firmware.c.
//
// C++ only because nanoHAL's HAL_AddSoftRebootHandler is a C++ function.
// Compiled by nf-interpreter builds only (needs nanoHAL.h); not on CI.
//

#include <nanoHAL.h>

#include "dmabuf_firmware.h"
#include "dmabuf_nf_target.h"

// The context is made on the first interop call: no change to nanoCLR's
// start-up is needed, and a firmware whose application never touches
// DmaBuf never takes its pools.
struct dmabuf_ctx *dmabuf_nf_context(void)
{
    if (dmabuf_firmware_context() == NULL)
    {
        // Managed exceptions carry the core's message (debug builds).
        dmabuf_firmware_set_report(dmabuf_nf_report, NULL);

        if (dmabuf_firmware_init() == 0)
        {
#if defined(PLATFORM_ESP32)
            // ESP32 targets keep a list of handlers run on a soft reboot;
            // ChibiOS targets have none (see dmabuf_firmware.h).
            HAL_AddSoftRebootHandler(dmabuf_firmware_soft_reboot);
#endif
        }
    }

    return dmabuf_firmware_context();
}

const struct dmabuf_board *dmabuf_nf_board(void)
{
    return dmabuf_firmware_board();
}

struct dmabuf_fence_pool *dmabuf_nf_fences(void)
{
    return dmabuf_firmware_fences();
}

struct dmabuf_resv_table *dmabuf_nf_resv(void)
{
    return dmabuf_firmware_reservations();
}

uint32_t dmabuf_nf_fence_timeline(void)
{
    return dmabuf_firmware_fence_timeline();
}

struct dmabuf_peripheral_registry *dmabuf_nf_peripherals(void)
{
    return dmabuf_firmware_peripherals();
}
