using CniSharp.Logging;

namespace CniSharp.Pods;

/// <summary>
/// The undo stack of a transactional ADD: each step that creates something registers its undo right after,
/// and a failed ADD runs them newest first so nothing half-done stays (the reference leaves the veth: plugins#29).
/// </summary>
internal sealed class Rollback
{
    private readonly Stack<(string What, Action Undo)> _steps = new();

    public void Add(string what, Action undo) => _steps.Push((what, undo));

    /// <summary>
    /// Runs every undo and says whether all of them worked. N.B. it eats their errors so that one failed undo
    /// does not stop the others; the ADD's own error is the one the runtime hears about.
    /// </summary>
    public bool Run()
    {
        bool complete = true;
        while (_steps.TryPop(out var step))
        {
            try
            {
                step.Undo();
            }
            catch (Exception e)
            {
                complete = false;
                Log.Warn($"rollback: could not undo {step.What}: {e.Message}");
            }
        }
        return complete;
    }
}
