using System.Runtime.ExceptionServices;
using CniSharp.Interop;

namespace CniSharp.Namespaces;

internal sealed partial class NetNamespace
{
    /// <summary>
    /// Runs <paramref name="work"/> inside this namespace on a dedicated OS thread and returns its result.
    /// The callback receives the namespace the thread came from (the host's). See Namespaces/README.md.
    /// </summary>
    public T Run<T>(Func<NetNamespace, T> work)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using NetNamespace origin = OpenCurrent();
                LibC.Check(LibC.setns(Handle, LibC.CLONE_NEWNET), "setns", Path);
                try
                {
                    result = work(origin);
                }
                finally
                {
                    // The thread ends right after, so a failed return cannot leak the namespace to other
                    // work; restoring is still the honest state for anything the runtime does on exit.
                    LibC.setns(origin.Handle, LibC.CLONE_NEWNET);
                }
            }
            catch (Exception e)
            {
                // An exception escaping a thread kills the process: carry it back to the caller instead.
                failure = ExceptionDispatchInfo.Capture(e);
            }
        }, maxStackSize: 256 * 1024)
        {
            IsBackground = true,
            Name = "netns",
        };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    public void Run(Action<NetNamespace> work) => Run<bool>(origin =>
    {
        work(origin);
        return true;
    });
}
