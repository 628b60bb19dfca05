namespace Friture.Streaming.Osc.Encoding;

/// <summary>A decoded OSC packet: an <see cref="OscMessage"/> or an <see cref="OscBundle"/>.</summary>
internal abstract record OscPacket;
