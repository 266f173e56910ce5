namespace CniSharp;

// Replaced by the dispatcher (env parsing, plugin choice, error boundary) in the spec-layer work.
internal sealed class CniHost
{
    public static CniHost FromProcess(string[] args) => new();

    public int Run() => 0;
}
