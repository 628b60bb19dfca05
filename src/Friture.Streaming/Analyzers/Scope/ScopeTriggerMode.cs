namespace Friture.Streaming.Analyzers.Scope;

/// <summary>How the scope chooses the window it sends.</summary>
public enum ScopeTriggerMode
{
    /// <summary>
    /// Align the window on the latest rising crossing of the trigger level, placed at time 0 in the middle of the window
    /// (Friture's trigger); when no crossing is found the latest samples are sent untriggered.
    /// </summary>
    RisingEdge,

    /// <summary>Always send the latest samples, times measured from the window start (Friture above 500 ms windows).</summary>
    FreeRunning,
}
