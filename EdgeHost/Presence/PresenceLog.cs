namespace NymGateway.EdgeHost.Presence;

internal static partial class PresenceLog
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "No validator configured; presence notifications are off")]
    public static partial void NoValidator(this ILogger logger);

    [LoggerMessage(EventId = 401, Level = LogLevel.Information, Message = "Starting presence notifier...")]
    public static partial void Starting(this ILogger logger);

    [LoggerMessage(EventId = 402, Level = LogLevel.Information, Message = "Registered with the validator {Validator}; renewing every {Interval}")]
    public static partial void Registered(this ILogger logger, string validator, TimeSpan interval);

    [LoggerMessage(EventId = 403, Level = LogLevel.Information, Message = "Registration with the validator {Validator} works again")]
    public static partial void Recovered(this ILogger logger, string validator);

    [LoggerMessage(EventId = 404, Level = LogLevel.Debug, Message = "Registered presence with {Validator}")]
    public static partial void Renewed(this ILogger logger, string validator);

    [LoggerMessage(EventId = 405, Level = LogLevel.Warning, Message = "failed to register with the validator {Validator} - {Error}; retrying every {Interval}")]
    public static partial void RegistrationFailed(this ILogger logger, string validator, string error, TimeSpan interval);

    [LoggerMessage(EventId = 406, Level = LogLevel.Debug, Message = "still failing to register with the validator {Validator} - {Error}")]
    public static partial void StillFailing(this ILogger logger, string validator, string error);

    [LoggerMessage(EventId = 407, Level = LogLevel.Information, Message = "unregistration was successful!")]
    public static partial void Unregistered(this ILogger logger);

    [LoggerMessage(EventId = 408, Level = LogLevel.Error, Message = "failed to unregister with validator... - {Error}")]
    public static partial void UnregistrationFailed(this ILogger logger, string error);
}
