//
// nanoFramework.DmaBuf: ThrowHelper natives.
//

#include "dmabuf_nf_native.h"

typedef Library_dmabuf_nf_native_nanoFramework_DmaBuf_ThrowHelper ThrowHelper;

HRESULT ThrowHelper::NativeTakeLastMessage___STATIC__STRING(CLR_RT_StackFrame &stack)
{
    NANOCLR_HEADER();
    {
        const char *message = dmabuf_nf_take_last_message();

        if (message[0] == '\0')
        {
            stack.SetResult_Object(NULL);
        }
        else
        {
            NANOCLR_SET_AND_LEAVE(stack.SetResult_String(message));
        }
    }
    NANOCLR_NOCLEANUP();
}
