using System.Runtime.InteropServices;
using System.Text;

namespace CniSharp.Interop;

/// <summary>
/// CniSharp's libc surface, one file per C header (LibC.Socket.cs, ...). The functions, structs and constants come
/// from Tmds.LibC (Tmds.Linux.LibC), whose package has one implementation assembly per RID: the values differ
/// between architectures (O_NOFOLLOW is 0x20000 on x86-64, 0x8000 on arm64), so they are properties resolved when
/// the executable is published for its RID, never constants baked into this RID-neutral assembly.
/// This class adds only what Tmds.LibC lacks, each with the reason, and thin wrappers that keep CniSharp's calling
/// conventions: descriptors as <see cref="SafeHandle"/>, paths as strings, -1 checked into <see cref="UnixException"/>.
/// </summary>
internal static partial class LibC
{
    /// <summary>
    /// The library Tmds.LibC's DllImports name; our own declarations name it too, so the executable binds one
    /// library at link time (DirectPInvoke in cnisharp.csproj) instead of resolving symbols on first call.
    /// </summary>
    internal const string Lib = "libc.so.6";

    /// <summary>Throws <see cref="UnixException"/> with errno text when a libc call returned -1.</summary>
    internal static int Check(int result, string operation, string? target = null)
    {
        if (result < 0)
            throw new UnixException(Marshal.GetLastPInvokeError(), operation, target);
        return result;
    }

    internal static nint Check(nint result, string operation, string? target = null)
    {
        if (result < 0)
            throw new UnixException(Marshal.GetLastPInvokeError(), operation, target);
        return result;
    }

    /// <summary>
    /// The NUL-terminated UTF-8 form libc takes. A string holding NUL is refused (EINVAL): libc would act on the
    /// shorter path before it, not the one the caller checked.
    /// </summary>
    internal static byte[] CString(string value, string operation)
    {
        if (value.Contains('\0'))
            throw new UnixException((int)Errno.EINVAL, operation, value.Replace("\0", "\\0", StringComparison.Ordinal));
        byte[] bytes = new byte[Encoding.UTF8.GetByteCount(value) + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        return bytes;
    }

    /// <summary>
    /// The descriptor number of <paramref name="handle"/>, kept open until the lease is disposed. Tmds.LibC takes
    /// plain ints; this is the reference LibraryImport's SafeHandle marshalling used to take, so a Dispose on another
    /// thread cannot close the number mid-call (the kernel could hand it to an unrelated open in between).
    /// </summary>
    internal static FdLease Lease(SafeHandle handle) => new(handle);

    internal ref struct FdLease
    {
        private readonly SafeHandle _handle;
        private bool _referenced;

        public FdLease(SafeHandle handle)
        {
            _handle = handle;
            handle.DangerousAddRef(ref _referenced);
            Fd = (int)handle.DangerousGetHandle();
        }

        public int Fd { get; }

        public void Dispose()
        {
            if (_referenced)
                _handle.DangerousRelease();
            _referenced = false;
        }
    }
}
