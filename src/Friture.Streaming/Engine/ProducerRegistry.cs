using Friture.Streaming.Producers;
using Friture.Streaming.RateLimiting;

namespace Friture.Streaming.Engine;

/// <summary>
/// The registered producers, as an immutable array the capture thread reads without a lock (copy on write under the
/// registration lock), and the shared resources they take when they join.
/// </summary>
internal sealed class ProducerRegistry(RegistrationGate gate, TypeRegistry types, RateLimiter rateLimiter, ErrorRouter errors)
{
    private readonly SharedResourcePool _shared = new();
    private ProducerSlot[] _slots = [];

    /// <summary>The current slots; the array is never changed once published.</summary>
    public ProducerSlot[] Slots => Volatile.Read(ref _slots);

    public IReadOnlyList<DataProducer> Producers
    {
        get
        {
            var slots = Slots;
            var result = new DataProducer[slots.Length];
            for (var i = 0; i < slots.Length; i++)
            {
                result[i] = slots[i].Producer;
            }

            return result;
        }
    }

    public void Register(DataType dataType, DataProducer producer)
    {
        lock (gate.Sync)
        {
            gate.ThrowIfDisposed();
            foreach (var slot in _slots)
            {
                if (slot.Producer.ProducerId == producer.ProducerId)
                {
                    throw new ArgumentException($"A producer with id '{producer.ProducerId}' is already registered.", nameof(producer));
                }
            }

            producer.OnRegistering(_shared);
            var newSlot = new ProducerSlot(producer, dataType, types.Get(dataType), rateLimiter.CreateBucket(dataType));
            Volatile.Write(ref _slots, [.. _slots, newSlot]);
        }
    }

    public bool Unregister(string producerId)
    {
        lock (gate.Sync)
        {
            var current = _slots;
            for (var i = 0; i < current.Length; i++)
            {
                if (current[i].Producer.ProducerId == producerId)
                {
                    rateLimiter.RemoveBucket(current[i].DataType, current[i].Bucket);
                    Volatile.Write(ref _slots, [.. current.AsSpan(0, i), .. current.AsSpan(i + 1)]);
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>How many producers of a data type are registered.</summary>
    /// <param name="dataType">The data type.</param>
    /// <returns>The count.</returns>
    public int CountOf(DataType dataType)
    {
        var count = 0;
        foreach (var slot in Slots)
        {
            count += slot.DataType == dataType ? 1 : 0;
        }

        return count;
    }

    /// <summary>Resets every active producer. Call only when no capture thread runs.</summary>
    public void ResetActive()
    {
        foreach (var slot in Slots)
        {
            if (slot.Active)
            {
                slot.Active = false;
                SafeReset(slot);
            }
        }
    }

    /// <summary>Resets a producer that went idle, reporting (not throwing) when it fails.</summary>
    /// <param name="slot">The producer's slot.</param>
    public void SafeReset(ProducerSlot slot)
    {
        try
        {
            slot.Producer.Reset();
        }
#pragma warning disable CA1031 // A producer failing to reset is reported, nothing more.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            errors.Report(StreamingErrorType.ProducerError, $"Producer '{slot.Producer.ProducerId}' failed to reset: {ex.Message}", ex);
        }
    }
}
