namespace nanoFramework.DmaBuf
{
    /// <summary>
    /// What a <see cref="FrameQueue"/> producer does when no frame is free.
    /// KEEP IN SYNC with enum dmabuf_queue_mode (native-interop/include/dmabuf/queue.h).
    /// </summary>
    public enum FrameQueueMode
    {
        /// <summary>Wait until a consumer releases a frame; nothing is dropped.</summary>
        WhenEmpty = 1,

        /// <summary>Take the oldest ready frame back (counted as dropped), so consumers always see the newest frames.</summary>
        Latest = 2
    }
}
