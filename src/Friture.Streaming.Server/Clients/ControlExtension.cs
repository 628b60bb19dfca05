using System.Text.Json;

namespace Friture.Streaming.Server.Clients;

/// <summary>
/// The host's handler of the control messages that change the analysis rather than the subscription (<c>configure</c>,
/// <c>reset</c>). Runs on the client's receive loop.
/// </summary>
/// <param name="action"><see cref="ControlAction.Configure"/> or <see cref="ControlAction.Reset"/>.</param>
/// <param name="dataType">The message's <c>data_type</c>.</param>
/// <param name="options">The <c>options</c> object of a configure message; default for reset.</param>
/// <returns>null when applied, otherwise an error message for the client naming the bad type or option.</returns>
internal delegate string? ControlExtension(ControlAction action, string dataType, JsonElement options);
