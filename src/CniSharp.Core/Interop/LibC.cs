using System.Runtime.InteropServices;

namespace CniSharp.Interop;

/// <summary>
/// Declarations of the libc functions CniSharp calls, one file per C header (LibC.Socket.cs, ...).
/// Nothing but declarations and the single result checker live here.
/// </summary>
internal static partial class LibC
{
    internal const string Lib = "libc";

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
}
