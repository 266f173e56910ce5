using System.Runtime.InteropServices;

namespace CniSharp.Netlink;

/// <summary>
/// Borrows the raw descriptor of an optional SafeHandle for the length of one request, holding a reference
/// so the descriptor can't be closed (and its number reused) while the kernel is about to read it.
/// </summary>
internal readonly struct DangerousFd : IDisposable
{
    private readonly SafeHandle? _handle;
    private readonly bool _added;

    public DangerousFd(SafeHandle? handle)
    {
        _handle = handle;
        _added = false;
        if (handle is not null)
        {
            handle.DangerousAddRef(ref _added);
            Fd = (int)handle.DangerousGetHandle();
        }
    }

    public bool IsSet => _handle is not null;

    public int Fd { get; }

    public void Dispose()
    {
        if (_added)
            _handle!.DangerousRelease();
    }
}
