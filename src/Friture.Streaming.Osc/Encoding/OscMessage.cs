namespace Friture.Streaming.Osc.Encoding;

/// <summary>A decoded OSC message.</summary>
/// <param name="Address">The address pattern, for example <c>/friture/pitch</c>.</param>
/// <param name="TypeTags">The type tags without the leading comma, for example <c>ffs</c>.</param>
/// <param name="Arguments">One per tag: <see cref="int"/> (i), <see cref="float"/> (f), <see cref="string"/> (s), <see cref="byte"/>[] (b).</param>
internal sealed record OscMessage(string Address, string TypeTags, IReadOnlyList<object> Arguments) : OscPacket;
