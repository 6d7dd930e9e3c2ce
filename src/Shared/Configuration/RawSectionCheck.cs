using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Pipeline.Shared.Configuration;

/// <summary>Checks the keyed sections (Domains, VirtualMtas) before binding. The .NET binder silently drops a
/// dictionary entry whose value does not convert ("MaxSmtpOut": "lots" would make the whole domain entry vanish),
/// and ignores misspelt settings; here both become errors naming the key.</summary>
internal static class RawSectionCheck
{
    public static IEnumerable<string> Check(IConfiguration configuration)
    {
        foreach (var error in CheckEntries<DomainOptions>(configuration.GetSection("Domains"))) yield return error;
        foreach (var error in CheckEntries<VirtualMtaOptions>(configuration.GetSection("VirtualMtas"))) yield return error;
    }

    private static IEnumerable<string> CheckEntries<T>(IConfigurationSection section)
    {
        var properties = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .ToDictionary(p => p.Name, p => Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType, StringComparer.OrdinalIgnoreCase);
        foreach (var entry in section.GetChildren())
        {
            foreach (var setting in entry.GetChildren())
            {
                if (!properties.TryGetValue(setting.Key, out var type))
                {
                    yield return $"{setting.Path}: unknown setting (known: {string.Join(", ", properties.Keys)})";
                    continue;
                }
                var value = setting.Value;
                if (value is null) continue;
                if (type == typeof(int) && !int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
                    yield return $"{setting.Path}: '{value}' is not a whole number";
                else if (type == typeof(bool) && !bool.TryParse(value, out _))
                    yield return $"{setting.Path}: '{value}' is not true or false";
            }
        }
    }
}
