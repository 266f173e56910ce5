using System.Runtime.InteropServices;

namespace CniSharp.Interop;

/// <summary>A failed libc call: the operation, what it acted on, and errno.</summary>
internal sealed class UnixException : Exception
{
    public UnixException(int errno, string operation, string? target = null)
        : base(Describe(errno, operation, target))
    {
        Errno = (Errno)errno;
        Operation = operation;
        Target = target;
    }

    public Errno Errno { get; }
    public string Operation { get; }
    public string? Target { get; }

    /// <summary>strerror(3) text for an errno, e.g. "No such file or directory".</summary>
    public static string ErrnoText(int errno) => Marshal.GetPInvokeErrorMessage(errno);

    private static string Describe(int errno, string operation, string? target) =>
        target is null
            ? $"{operation}: {ErrnoText(errno)} ({(Errno)errno})"
            : $"{operation} {target}: {ErrnoText(errno)} ({(Errno)errno})";
}
