using System.Diagnostics;
using CniSharp.Interop;

namespace CniSharp.Netlink.Route;

internal sealed partial class RouteNetlink
{
    /// <summary>Equivalent to: ip monitor link, until {index} reports operstate UP or the timeout passes.</summary>
    public OperState WaitForOperUp(int index, TimeSpan timeout)
    {
        long deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        // Subscribe before reading the current state: a change between the two then still queues an event.
        _events.Subscribe(RouteConstants.RTNLGRP_LINK);
        try
        {
            OperState state = ReadOperState(index);
            while (state != OperState.Up)
            {
                int remainingMs = (int)Math.Ceiling(Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline).TotalMilliseconds);
                if (remainingMs <= 0 || !_events.Poll(remainingMs) && Stopwatch.GetTimestamp() >= deadline)
                    break;
                state = DrainLinkEvents(index, state);
            }
            return state;
        }
        finally
        {
            _events.Unsubscribe(RouteConstants.RTNLGRP_LINK);
            DiscardQueuedEvents();
        }
    }

    private OperState ReadOperState(int index) =>
        GetLink(index)?.OperState ?? throw new NetlinkException($"wait for link {index} to come up", (int)Errno.ENODEV);

    /// <summary>Reads every queued notification; returns the last operstate reported for the link.</summary>
    private OperState DrainLinkEvents(int index, OperState state)
    {
        while (true)
        {
            ReadOnlySpan<byte> datagram;
            try
            {
                if (!_events.TryReceive(blocking: false, out datagram, out uint sender))
                    return state;
                if (sender != 0)
                    continue;
            }
            catch (UnixException e) when (e.Errno == Errno.ENOBUFS)
            {
                // The queue overflowed and events were lost: ask for the current state instead.
                return ReadOperState(index);
            }
            var reader = new NetlinkMessageReader(datagram);
            while (reader.TryRead(out NetlinkMessage message))
            {
                if (LinkParser.TryReadOperState(message, out int eventIndex, out OperState eventState) && eventIndex == index)
                    state = eventState;
            }
        }
    }

    private void DiscardQueuedEvents()
    {
        try
        {
            while (_events.TryReceive(blocking: false, out _, out _)) { }
        }
        catch (UnixException)
        {
            // N.B. an overrun here only concerns events nobody waits for any more.
        }
    }
}
