namespace Friture.Streaming.Osc.Encoding;

/// <summary>A decoded OSC bundle.</summary>
/// <param name="TimeTag">NTP time tag, 32.32 fixed point seconds since 1900-01-01 UTC.</param>
/// <param name="Elements">The messages and nested bundles.</param>
internal sealed record OscBundle(ulong TimeTag, IReadOnlyList<OscPacket> Elements) : OscPacket;
