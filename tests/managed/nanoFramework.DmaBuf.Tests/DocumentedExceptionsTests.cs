using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using System.Xml.Linq;
using nanoFramework.DmaBuf;
using Xunit;

namespace nanoFramework.DmaBuf.Tests
{
    /// <summary>
    /// Every public member, found by reflection, is called once for every native error that each
    /// native entry point it reaches (found in its IL) can return to it, the error injected into
    /// that entry point by the fault shim (FaultShim); whatever it throws must be listed in the
    /// member's XML docs (an &lt;exception cref&gt; of exactly that type); and a type only native
    /// errors produce is documented only where one does.
    /// </summary>
    public class DocumentedExceptionsTests : HeapTest
    {
        private const string Device = "dma2";

        /// <summary>Frames, rectangles and peripheral frames of the calls: 8 x 8 RGB565 (128 bytes).</summary>
        private const int PeripheralSide = 8;
        private const PixelFormat Format = PixelFormat.Rgb565BigEndian;

        /// <summary>
        /// The native errors each host entry point can return to the managed layer, from the C
        /// contracts (dmabuf.h, fence.h, resv.h, queue.h and dmabuf_host.h): the errors of the
        /// object's state, not those of arguments the managed layer checks before calling (null,
        /// ranges, directions, disposed owners). An entry point that a public member reaches and
        /// that is missing here fails the test: a new one must be thought about.
        /// </summary>
        private static readonly Dictionary<string, int[]> EntryErrors = new Dictionary<string, int[]>
        {
            // -ENOTSUP: what the nanoFramework stub of the same call answers on firmware without DMA
            // buffer support (the docs are shared by both builds).
            ["dmabuf_host_heap_open"] = new[] { DmaError.NoEntry, DmaError.OutOfMemory, DmaError.NotSupported },
            ["dmabuf_host_heap_close"] = new[] { DmaError.Busy },
            ["dmabuf_host_heap_stats"] = new int[0],
            ["dmabuf_host_cache_stats"] = new int[0],
            ["dmabuf_host_bufinfo"] = new int[0],
            ["dmabuf_host_check"] = new[] { DmaError.IOError },
            ["dmabuf_host_device_find"] = new[] { DmaError.NoEntry },
            ["dmabuf_host_export"] = new[] { DmaError.OutOfMemory },
            // A handle from DmaBuffer.FromHandle may name a buffer that is gone.
            ["dmabuf_host_get"] = new[] { DmaError.BadHandle },
            ["dmabuf_host_put"] = new[] { DmaError.Busy },
            ["dmabuf_host_buffer_info"] = new[] { DmaError.BadHandle },
            ["dmabuf_host_buffer_name"] = new[] { DmaError.BadHandle },
            ["dmabuf_host_attach"] = new[] { DmaError.Exists, DmaError.Unreachable, DmaError.Busy, DmaError.OutOfMemory },
            ["dmabuf_host_detach"] = new[] { DmaError.Busy },
            ["dmabuf_host_map"] = new[] { DmaError.Exists, DmaError.Busy, DmaError.OutOfMemory, DmaError.TimedOut, DmaError.IOError },
            ["dmabuf_host_unmap"] = new[] { DmaError.NotPermitted },
            ["dmabuf_host_begin_cpu_access"] = new[] { DmaError.Busy, DmaError.OutOfMemory, DmaError.TimedOut, DmaError.IOError },
            ["dmabuf_host_end_cpu_access"] = new[] { DmaError.NotPermitted },
            ["dmabuf_host_take_last_message"] = new int[0],
            ["dmabuf_host_fence_create"] = new[] { DmaError.OutOfMemory },
            ["dmabuf_host_fence_put"] = new int[0],
            ["dmabuf_host_fence_signal"] = new[] { DmaError.NotPermitted },
            ["dmabuf_host_fence_status"] = new int[0],
            ["dmabuf_host_fence_wait"] = new[] { DmaError.TimedOut, DmaError.IOError, DmaError.OutOfMemory },
            ["dmabuf_host_fence_info"] = new int[0],
            ["dmabuf_host_resv_attach_job"] = new[] { DmaError.Exists, DmaError.OutOfMemory },
            ["dmabuf_host_resv_wait"] = new[] { DmaError.TimedOut, DmaError.IOError },
            ["dmabuf_host_resv_implicit_sync"] = new int[0],
            ["dmabuf_host_queue_create"] = new[] { DmaError.OutOfMemory },
            ["dmabuf_host_queue_destroy"] = new[] { DmaError.Busy },
            ["dmabuf_host_queue_dequeue"] = new[] { DmaError.TimedOut },
            ["dmabuf_host_queue_enqueue"] = new[] { DmaError.NotPermitted },
            ["dmabuf_host_queue_cancel"] = new[] { DmaError.NotPermitted },
            ["dmabuf_host_queue_acquire"] = new[] { DmaError.TimedOut },
            ["dmabuf_host_queue_release"] = new[] { DmaError.NotPermitted },
            ["dmabuf_host_queue_frame_state"] = new int[0],
            ["dmabuf_host_queue_stats"] = new int[0],
            // frame.h: the frame's own rules (format, stride, fit, a YUYV frame drawn on, a
            // conversion, a text or a sprite) are the native layer's to check; every operation opens
            // a CPU access, with begin_cpu_access's errors (an access open, implicit sync; -EIO only
            // where the operation reads pixels).
            ["dmabuf_host_frame_check"] = new[] { DmaError.InvalidArgument, DmaError.OutOfRange },
            ["dmabuf_host_frame_fill"] = FrameAccessErrors(false, DmaError.NotSupported),
            ["dmabuf_host_frame_darken"] = FrameAccessErrors(true, DmaError.NotSupported),
            ["dmabuf_host_frame_blend"] = FrameAccessErrors(true, DmaError.NotSupported),
            ["dmabuf_host_frame_copy"] = FrameAccessErrors(true, DmaError.NotSupported, DmaError.InvalidArgument),
            ["dmabuf_host_frame_draw_text"] = FrameAccessErrors(false, DmaError.NotSupported, DmaError.InvalidArgument),
            ["dmabuf_host_frame_draw_sprite"] = FrameAccessErrors(false, DmaError.NotSupported, DmaError.InvalidArgument),
            ["dmabuf_host_frame_read_pixel"] = FrameAccessErrors(true, DmaError.OutOfRange),
            ["dmabuf_host_frame_read_row"] = FrameAccessErrors(true, DmaError.OutOfRange, DmaError.InvalidArgument),
            ["dmabuf_host_cpu_copy_count"] = new int[0],
            ["dmabuf_host_cpu_copy_stats"] = new int[0],
            // peripheral.h, through peripherals_host.h: what the device can serve and is doing (the
            // mapping's direction is checked by the managed layer first).
            ["dmabuf_host_peripheral_open"] = new[] { DmaError.NoEntry, DmaError.Domain, DmaError.Busy, DmaError.InvalidArgument, DmaError.NotSupported },
            ["dmabuf_host_peripheral_close"] = new int[0],
            ["dmabuf_host_peripheral_info"] = new int[0],
            ["dmabuf_host_peripheral_device"] = new int[0],
            ["dmabuf_host_peripheral_capture"] = new[] { DmaError.Domain, DmaError.Busy, DmaError.OutOfMemory },
            ["dmabuf_host_peripheral_present"] = new[] { DmaError.Domain, DmaError.Busy, DmaError.OutOfMemory },
            // -EPERM: a simulated panel refuses pixels until it is initialised.
            ["dmabuf_host_peripheral_write_rect"] = new[] { DmaError.InvalidArgument, DmaError.OutOfRange, DmaError.Domain, DmaError.Busy, DmaError.OutOfMemory, DmaError.NotPermitted },
            ["dmabuf_host_peripheral_formats"] = new[] { DmaError.NoEntry, DmaError.NotSupported },
            ["dmabuf_host_peripheral_frame_size"] = new[] { DmaError.NoEntry, DmaError.NotSupported },
            ["dmabuf_host_peripheral_command"] = new[] { DmaError.Busy, DmaError.OutOfMemory, DmaError.NotSupported },
            ["dmabuf_host_peripheral_completion"] = new[] { DmaError.NoEntry, DmaError.NotSupported },
        };

        /// <summary>
        /// Errors of an entry point that a member cannot get, because of what it passes itself
        /// (member id, entry point: errors), each with the reason.
        /// </summary>
        private static readonly Dictionary<string, int[]> CannotGet = new Dictionary<string, int[]>
        {
            // It maps the camera's frames FromDevice: -EIO is for a device reading after a failed writer.
            ["M:nanoFramework.DmaBuf.Camera.BeginCapture(nanoFramework.DmaBuf.FrameQueue,System.Int32) dmabuf_host_map"] =
                new[] { DmaError.IOError },
        };

        /// <summary>A frame operation's own errors, then those of the CPU access it opens
        /// (-EIO: an operation that reads pixels a failed DMA job wrote).</summary>
        private static int[] FrameAccessErrors(bool reads, params int[] own)
        {
            int[] access = reads ? new[] { DmaError.Busy, DmaError.OutOfMemory, DmaError.TimedOut, DmaError.IOError }
                : new[] { DmaError.Busy, DmaError.OutOfMemory, DmaError.TimedOut };
            return own.Concat(access).ToArray();
        }

        private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(field => (OpCode)field.GetValue(null))
            .ToDictionary(code => code.Value);

        private static readonly Assembly Library = typeof(DmaHeap).Assembly;

        [Fact]
        public void EveryNativeErrorAMemberCanGet_ThrowsATypeItsDocsList()
        {
            Dictionary<string, HashSet<string>> documented = DocumentedExceptions();
            List<string> failures = new List<string>();
            HashSet<string> provoked = new HashSet<string>();
            HashSet<string> thrownTypes = new HashSet<string>();
            foreach (MethodBase member in PublicMembers())
            {
                foreach (string entry in NativeEntries(member))
                {
                    if (!EntryErrors.TryGetValue(entry, out int[] errors))
                    {
                        failures.Add(DocId(member) + ": reaches " + entry + ", which has no row in EntryErrors");
                        continue;
                    }

                    foreach (int error in errors.Except(CannotGet.GetValueOrDefault(DocId(member) + " " + entry, new int[0])))
                    {
                        string before = LiveNativeObjects();
                        Exception thrown;
                        bool fired;
                        using (World world = new World(Heap))
                        {
                            object receiver = member.IsStatic || member is ConstructorInfo ? null : world.Receiver(member);
                            object[] arguments = world.Arguments(member);
                            FaultShim.Arm(entry, error);
                            thrown = world.Invoke(member, receiver, arguments);
                            fired = FaultShim.Disarm();
                        }

                        // A failing call changes nothing: whatever the world made, it gave back.
                        string after = LiveNativeObjects();
                        if (after != before)
                        {
                            failures.Add(DocId(member) + ": " + entry + " failing with " + error
                                + " left native objects alive (buffers/attachments/fences/queues " + before + " -> " + after + ")");
                        }

                        if (!fired)
                        {
                            continue; // this call of the member does not reach the entry point
                        }

                        provoked.Add(DocId(member) + " " + entry + " " + error);
                        if (thrown != null)
                        {
                            thrownTypes.Add(DocId(member) + " " + thrown.GetType().FullName);
                        }

                        if (thrown != null && !documented.GetValueOrDefault(DocId(member), new HashSet<string>())
                                .Contains(thrown.GetType().FullName))
                        {
                            failures.Add(DocId(member) + ": " + entry + " failing with " + error + " throws "
                                + thrown.GetType().FullName + ", not in its XML docs");
                        }
                    }
                }
            }

            // The other way round: a type that only a native error can produce (the library's own
            // code never throws it) is documented only where a native error produced it.
            HashSet<string> nativeOnly = NativeOnlyExceptionTypes();
            foreach (MethodBase member in PublicMembers())
            {
                foreach (string type in documented.GetValueOrDefault(DocId(member), new HashSet<string>()))
                {
                    if (nativeOnly.Contains(type) && !thrownTypes.Contains(DocId(member) + " " + type))
                    {
                        failures.Add(DocId(member) + ": documents " + type + ", which no native error it can get produces");
                    }
                }
            }

            Assert.True(failures.Count == 0, string.Join("\n", failures));
            // The shim really failed calls, the one of issue 15 among them (an attach of a device that
            // is already attached, and of one whose move the open CPU access forbids).
            Assert.True(provoked.Count >= 40, "only " + provoked.Count + " native errors provoked");
            string attach = "M:nanoFramework.DmaBuf.DmaBuffer.Attach(nanoFramework.DmaBuf.DmaDevice) dmabuf_host_attach ";
            Assert.Contains(attach + DmaError.Exists, provoked);
            Assert.Contains(attach + DmaError.Busy, provoked);
        }

        private string LiveNativeObjects()
        {
            DmaHeapStatistics stats = Heap.GetStatistics();
            return stats.LiveBuffers + "/" + stats.LiveAttachments + "/" + HostNative.LiveFences(Heap.NativeId) + "/"
                + HostNative.LiveQueues(Heap.NativeId);
        }

        /// <summary>
        /// Exception types the library throws only for native errors: made in ThrowHelper.Create
        /// (the native error to exception map) and nowhere else in the library.
        /// </summary>
        private static HashSet<string> NativeOnlyExceptionTypes()
        {
            MethodBase create = Library.GetType("nanoFramework.DmaBuf.ThrowHelper")
                .GetMethod("Create", BindingFlags.NonPublic | BindingFlags.Static);
            HashSet<string> fromNative = new HashSet<string>(ConstructedExceptions(create));
            foreach (Type type in Library.GetTypes())
            {
                foreach (MethodBase method in type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic
                    | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                    .Cast<MethodBase>().Concat(type.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic
                    | BindingFlags.Instance | BindingFlags.Static)))
                {
                    if (method != create)
                    {
                        fromNative.ExceptWith(ConstructedExceptions(method));
                    }
                }
            }

            Assert.Contains("System.TimeoutException", fromNative); // the walk saw Create's map
            return fromNative;
        }

        /// <summary>Types of the exceptions <paramref name="method"/>'s own IL constructs (newobj).</summary>
        private static IEnumerable<string> ConstructedExceptions(MethodBase method)
        {
            List<string> types = new List<string>();
            ForEachCall(method, (code, callee) =>
            {
                if (code == OpCodes.Newobj && typeof(Exception).IsAssignableFrom(callee.DeclaringType))
                {
                    types.Add(callee.DeclaringType.FullName);
                }
            });
            return types;
        }

        /// <summary>Public methods, accessors and constructors of the public types, but Dispose (never throws).</summary>
        private static IEnumerable<MethodBase> PublicMembers()
        {
            foreach (Type type in Library.GetExportedTypes().OrderBy(t => t.FullName))
            {
                foreach (ConstructorInfo constructor in type.GetConstructors())
                {
                    yield return constructor;
                }

                foreach (MethodInfo method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance
                    | BindingFlags.Static | BindingFlags.DeclaredOnly).OrderBy(m => m.ToString()))
                {
                    if (method.Name != "Dispose")
                    {
                        yield return method;
                    }
                }
            }
        }

        /// <summary>The P/Invoke entry points <paramref name="member"/> reaches through the library's own code.</summary>
        private static SortedSet<string> NativeEntries(MethodBase member)
        {
            SortedSet<string> entries = new SortedSet<string>();
            Walk(member, new HashSet<MethodBase>(), entries);
            return entries;
        }

        private static void Walk(MethodBase method, HashSet<MethodBase> seen, SortedSet<string> entries)
        {
            if (!seen.Add(method))
            {
                return;
            }

            if ((method.Attributes & MethodAttributes.PinvokeImpl) != 0)
            {
                entries.Add(method.Name);
                return;
            }

            ForEachCall(method, (code, callee) =>
            {
                if (callee.DeclaringType?.Assembly == Library)
                {
                    Walk(callee, seen, entries);
                }
            });
        }

        /// <summary>Calls <paramref name="visit"/> for every method <paramref name="method"/>'s IL names (call, newobj, ldftn...).</summary>
        private static void ForEachCall(MethodBase method, Action<OpCode, MethodBase> visit)
        {
            byte[] il = method.GetMethodBody()?.GetILAsByteArray();
            if (il == null)
            {
                return;
            }

            for (int at = 0; at < il.Length;)
            {
                short value = il[at] == 0xFE ? (short)(0xFE00 | il[at + 1]) : il[at];
                at += il[at] == 0xFE ? 2 : 1;
                OpCode code = OpCodesByValue[value];
                if (code.OperandType == OperandType.InlineMethod)
                {
                    visit(code, method.Module.ResolveMethod(BitConverter.ToInt32(il, at)));
                }

                at += OperandSize(code.OperandType, il, at);
            }
        }

        private static int OperandSize(OperandType type, byte[] il, int at)
        {
            switch (type)
            {
                case OperandType.InlineNone:
                    return 0;
                case OperandType.ShortInlineBrTarget:
                case OperandType.ShortInlineI:
                case OperandType.ShortInlineVar:
                    return 1;
                case OperandType.InlineVar:
                    return 2;
                case OperandType.InlineI8:
                case OperandType.InlineR:
                    return 8;
                case OperandType.InlineSwitch:
                    return 4 + 4 * BitConverter.ToInt32(il, at);
                default:
                    return 4;
            }
        }

        /// <summary>Member id (as in the XML doc file) to the exception types its docs list.</summary>
        private static Dictionary<string, HashSet<string>> DocumentedExceptions()
        {
            string file = Path.ChangeExtension(Library.Location, ".xml");
            Dictionary<string, HashSet<string>> result = new Dictionary<string, HashSet<string>>();
            foreach (XElement member in XDocument.Load(file).Descendants("member"))
            {
                result[(string)member.Attribute("name")] = new HashSet<string>(member.Elements("exception")
                    .Select(e => ((string)e.Attribute("cref")).Substring(2)));
            }

            return result;
        }

        private static string DocId(MethodBase member)
        {
            Type type = member.DeclaringType;
            if (member.IsSpecialName && member is MethodInfo accessor)
            {
                PropertyInfo property = type.GetProperties().FirstOrDefault(p =>
                    p.GetGetMethod() == accessor || p.GetSetMethod() == accessor);
                if (property != null)
                {
                    return "P:" + type.FullName + "." + property.Name;
                }
            }

            string name = member is ConstructorInfo ? "#ctor" : member.Name;
            ParameterInfo[] parameters = member.GetParameters();
            string list = parameters.Length == 0 ? ""
                : "(" + string.Join(",", parameters.Select(p => p.ParameterType.FullName.Replace('&', '@'))) + ")";
            return "M:" + type.FullName + "." + name + list;
        }

        /// <summary>
        /// Objects for one call: a receiver of the member's type and valid arguments, made before the
        /// fault is armed (so the call gets as far as its native entry points) and disposed after.
        /// </summary>
        private sealed class World : IDisposable
        {
            private readonly DmaHeap _heap;
            private readonly List<IDisposable> _owned = new List<IDisposable>();

            internal World(DmaHeap heap)
            {
                _heap = heap;
            }

            internal object Receiver(MethodBase member)
            {
                Type type = member.DeclaringType;
                if (type == typeof(DmaHeap))
                {
                    return _heap;
                }

                if (type == typeof(DmaBuffer))
                {
                    DmaBuffer buffer = Buffer();
                    if (member.Name == "EndCpuAccess")
                    {
                        buffer.BeginCpuAccess(DmaDirection.Bidirectional);
                    }

                    return buffer;
                }

                if (type == typeof(DmaAttachment))
                {
                    return Attachment();
                }

                if (type == typeof(DmaMapping))
                {
                    return Own(Attachment().Map(DmaDirection.ToDevice));
                }

                if (type == typeof(CpuAccess))
                {
                    return Buffer().BeginCpuAccess(DmaDirection.Bidirectional);
                }

                if (type == typeof(DmaFence))
                {
                    return Own(_heap.CreateFence());
                }

                if (type == typeof(FrameQueue))
                {
                    return Queue();
                }

                if (type == typeof(QueueFrame))
                {
                    return Queue().GetFrame(0);
                }

                if (type == typeof(DmaDevice))
                {
                    return _heap.GetDevice(Device);
                }

                if (type == typeof(DmaHeapStatistics))
                {
                    return _heap.GetStatistics();
                }

                if (type == typeof(DmaCacheStatistics))
                {
                    return _heap.GetCacheStatistics();
                }

                if (type == typeof(FrameQueueStatistics))
                {
                    return Queue().GetStatistics();
                }

                if (type == typeof(DmaCpuCopyStatistics))
                {
                    return _heap.GetCpuCopyStatistics();
                }

                if (type == typeof(DmaFrame))
                {
                    return Frame();
                }

                if (type == typeof(Camera) && member.Name == "EndCapture")
                {
                    // A capture in progress, its queue made first so that it goes after the camera.
                    FrameQueue queue = CameraQueue();
                    Camera camera = Own(_heap.OpenCamera("camera", PeripheralSide, PeripheralSide, Format));
                    camera.BeginCapture(queue, 0);
                    return camera;
                }

                if (type == typeof(Camera) || type == typeof(DmaPeripheral))
                {
                    return Own(_heap.OpenCamera("camera", PeripheralSide, PeripheralSide, Format));
                }

                if (type == typeof(ScanoutDisplay))
                {
                    return Own(_heap.OpenDisplay("display", PeripheralSide, PeripheralSide, Format));
                }

                if (type == typeof(SpiPanel))
                {
                    return Own(_heap.OpenSpiPanel("spi-panel", Format));
                }

                throw new InvalidOperationException("no receiver for " + type);
            }

            internal object[] Arguments(MethodBase member)
            {
                return member.GetParameters().Select(p => Argument(member, p)).ToArray();
            }

            private object Argument(MethodBase member, ParameterInfo parameter)
            {
                Type type = parameter.ParameterType;
                string name = parameter.Name;
                if (type == typeof(DmaDirection))
                {
                    return DmaDirection.Bidirectional;
                }

                if (type == typeof(int))
                {
                    switch (name)
                    {
                        case "count":
                        case "length":
                            return 16;
                        case "size":
                            return 64;
                        case "width":
                        case "height":
                            return PeripheralSide; // a rectangle, a frame, a peripheral's frame
                        case "stride":
                            return PeripheralSide * 2;
                        case "scale":
                            return 1;
                        case "handle":
                            return Buffer().Handle;
                        default:
                            return 0; // offsets, indexes, millisecondsTimeout (a poll)
                    }
                }

                if (type == typeof(long))
                {
                    return 0L;
                }

                if (type == typeof(int).MakeByRefType())
                {
                    return 0; // an out parameter (GetPeripheralFrameSize's width and height): written, not read
                }

                if (type == typeof(bool))
                {
                    return true;
                }

                if (type == typeof(byte))
                {
                    return (byte)0x5A;
                }

                if (type == typeof(byte[]))
                {
                    // A panel command's parameters: a few bytes (more than 16 are refused before the native call).
                    return new byte[member.Name == "SendCommand" ? 1 : 64];
                }

                if (type == typeof(string))
                {
                    switch (member.Name)
                    {
                        case "OpenCamera":
                            return "camera";
                        case "OpenDisplay":
                            return "display";
                        case "OpenSpiPanel":
                            return "spi-panel";
                    }

                    return name == "board" ? Stm32 : member.Name == "GetDevice" ? Device : "doc";
                }

                if (type == typeof(DmaHeap))
                {
                    return _heap;
                }

                if (type == typeof(DmaDevice))
                {
                    return _heap.GetDevice(Device);
                }

                if (type == typeof(DmaFence))
                {
                    return Own(_heap.CreateFence());
                }

                if (type == typeof(CpuAccess))
                {
                    return Buffer().BeginCpuAccess(DmaDirection.Bidirectional);
                }

                if (type == typeof(DmaBuffer[]))
                {
                    return new[] { Buffer(), Buffer() };
                }

                if (type == typeof(DmaBuffer))
                {
                    return Buffer();
                }

                if (type == typeof(PixelFormat))
                {
                    return Format;
                }

                if (type == typeof(DmaFrame))
                {
                    return Frame();
                }

                if (type == typeof(DmaMapping))
                {
                    // A job's frame: on the receiver's (the last peripheral made) DMA master, both
                    // directions, as long as its frame (an SPI panel's: any).
                    DmaPeripheral peripheral = (DmaPeripheral)_owned.Last(o => o is DmaPeripheral);
                    DmaBuffer frame = Own(_heap.Export(Math.Max(peripheral.FrameBytes, 256), "job"));
                    return Own(Own(frame.Attach(peripheral.Device)).Map(DmaDirection.Bidirectional));
                }

                if (type == typeof(FrameQueue))
                {
                    return CameraQueue();
                }

                if (type == typeof(DmaBufferFlags))
                {
                    return (DmaBufferFlags)0;
                }

                if (type == typeof(FrameQueueMode))
                {
                    return FrameQueueMode.WhenEmpty;
                }

                if (type == typeof(QueueFrame))
                {
                    // A frame of the receiver's queue (made just before, the last one owned), in the
                    // state the member expects.
                    FrameQueue queue = (FrameQueue)_owned.Last(o => o is FrameQueue);
                    if (member.Name == "Release")
                    {
                        queue.Enqueue(queue.Dequeue(0));
                        return queue.Acquire(0);
                    }

                    return queue.Dequeue(0);
                }

                throw new InvalidOperationException("no argument for " + type + " " + name + " of " + member);
            }

            /// <summary>Calls <paramref name="member"/>; what it threw, or null. A result it made is owned.</summary>
            internal Exception Invoke(MethodBase member, object receiver, object[] arguments)
            {
                try
                {
                    object result = member is ConstructorInfo constructor
                        ? constructor.Invoke(arguments)
                        : member.Invoke(receiver, arguments);
                    if (result is IDisposable disposable && !ReferenceEquals(result, receiver) && !_owned.Contains(disposable)
                        && !ReferenceEquals(result, _heap))
                    {
                        Own(disposable);
                    }

                    return null;
                }
                catch (TargetInvocationException e)
                {
                    return e.InnerException;
                }
            }

            public void Dispose()
            {
                for (int i = _owned.Count - 1; i >= 0; i--)
                {
                    _owned[i].Dispose();
                }
            }

            private DmaBuffer Buffer()
            {
                return Own(_heap.Export(256, "doc"));
            }

            /// <summary>A queue of two frames as large as the camera's (<see cref="PeripheralSide"/> squared, RGB565).</summary>
            private FrameQueue CameraQueue()
            {
                int bytes = PeripheralSide * PeripheralSide * 2;
                DmaBuffer[] frames = { Own(_heap.Export(bytes, "q0")), Own(_heap.Export(bytes, "q1")) };
                return Own(new FrameQueue(_heap, frames, FrameQueueMode.WhenEmpty));
            }

            private DmaFrame Frame()
            {
                return new DmaFrame(Buffer(), PeripheralSide, PeripheralSide, Format);
            }

            private DmaAttachment Attachment()
            {
                return Buffer().Attach(_heap.GetDevice(Device));
            }

            private FrameQueue Queue()
            {
                return Own(new FrameQueue(_heap, new[] { Buffer(), Buffer() }, FrameQueueMode.WhenEmpty));
            }

            private T Own<T>(T disposable) where T : IDisposable
            {
                _owned.Add(disposable);
                return disposable;
            }
        }
    }
}
