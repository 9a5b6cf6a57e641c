//! Token amounts as people type them (`1.5`) and as the chain stores them (native units).
//!
//! A user thinks in tokens; the program counts the token's smallest unit. Converting with
//! floats would turn `0.1` into `99999` native units on a 6-decimal mint, so amounts are
//! parsed as decimal digits and scaled with checked integer arithmetic: every input either
//! becomes the exact native amount or is refused with one line saying why (empty, not a
//! number, negative, zero, more decimal places than the mint has, too large). Parsing never
//! panics, whatever the input.
//!
//! [`Decimal`] is any non-negative number (a limit may be zero); [`Amount`] is a positive
//! one (a deposit, a withdrawal); both keep the text as typed for messages. Neither knows
//! the mint's decimals: those come from the bank when the amount is used
//! ([`Decimal::to_native`]), or the amount is taken as raw units ([`Decimal::whole`]).

use std::fmt;
use std::str::FromStr;

/// Why an amount was refused; every message is one line naming the input.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("the amount is empty: give a number such as 1.5")]
    Empty,
    #[error("amount {0} is not a number: use digits with an optional decimal point, e.g. 1.5")]
    Invalid(String),
    #[error("amount {0} is negative: amounts must be greater than zero")]
    Negative(String),
    #[error("amount {0} is zero: amounts must be greater than zero")]
    Zero(String),
    #[error(
        "amount {input} has {places} decimal place{} but the token has {decimals} (smallest unit {})",
        if *places == 1 { "" } else { "s" },
        format_amount(1, *decimals)
    )]
    TooManyDecimals {
        input: String,
        places: usize,
        decimals: u8,
    },
    #[error("amount {input} is too large: at most {} with {decimals} decimals", format_amount(u64::MAX, *decimals))]
    Overflow { input: String, decimals: u8 },
    #[error("amount {0} has a fraction, but native amounts are whole units of the token's smallest unit")]
    FractionalNative(String),
}

/// A non-negative decimal number as typed: digits, optionally a point and more digits
/// (`12`, `1.5`, `.5`, `3.`), surrounded by optional whitespace. Equal when the numbers
/// are (`1.50` = `01.5`).
#[derive(Clone, Debug)]
pub struct Decimal {
    /// The text as typed (trimmed); checked by [`Decimal::parse`] to be a number.
    text: String,
}

impl Decimal {
    pub fn parse(input: &str) -> Result<Self, AmountError> {
        let text = input.trim();
        if text.is_empty() {
            return Err(AmountError::Empty);
        }
        let unsigned = text.strip_prefix('+').unwrap_or(text);
        if text.starts_with('-') && is_number(&text[1..]) {
            return Err(AmountError::Negative(text.to_string()));
        }
        if !is_number(unsigned) {
            return Err(AmountError::Invalid(text.to_string()));
        }
        Ok(Decimal {
            text: text.to_string(),
        })
    }

    /// Integer digits without leading zeros and fraction digits without trailing zeros.
    fn parts(&self) -> (&str, &str) {
        let unsigned = self.text.strip_prefix('+').unwrap_or(&self.text);
        let (int, frac) = unsigned.split_once('.').unwrap_or((unsigned, ""));
        (int.trim_start_matches('0'), frac.trim_end_matches('0'))
    }

    /// The text as typed (trimmed).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn is_zero(&self) -> bool {
        self.parts() == ("", "")
    }

    /// Significant decimal places (trailing zeros do not count: `1.50` has one).
    pub fn places(&self) -> usize {
        self.parts().1.len()
    }

    /// Native units for a token with `decimals` decimals: exact, or an error when the
    /// number has more significant decimal places than the token or exceeds `u64`.
    pub fn to_native(&self, decimals: u8) -> Result<u64, AmountError> {
        if self.places() > decimals as usize {
            return Err(AmountError::TooManyDecimals {
                input: self.text.clone(),
                places: self.places(),
                decimals,
            });
        }
        let overflow = || AmountError::Overflow {
            input: self.text.clone(),
            decimals,
        };
        let (int, frac) = self.parts();
        let padding = decimals as usize - frac.len();
        let digits = int
            .bytes()
            .chain(frac.bytes())
            .chain(std::iter::repeat_n(b'0', padding));
        let mut native: u64 = 0;
        for d in digits {
            native = native
                .checked_mul(10)
                .and_then(|n| n.checked_add(u64::from(d - b'0')))
                .ok_or_else(overflow)?;
        }
        Ok(native)
    }

    /// The number as raw native units: it must be whole.
    pub fn whole(&self) -> Result<u64, AmountError> {
        if self.places() > 0 {
            return Err(AmountError::FractionalNative(self.text.clone()));
        }
        self.to_native(0)
    }
}

/// `digits [. digits]` or `. digits`, with at least one digit.
fn is_number(s: &str) -> bool {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let all_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    !(int.is_empty() && frac.is_empty()) && all_digits(int) && all_digits(frac)
}

impl PartialEq for Decimal {
    fn eq(&self, other: &Self) -> bool {
        self.parts() == other.parts()
    }
}

impl Eq for Decimal {}

impl From<u64> for Decimal {
    /// A whole number (e.g. a native amount read back from the chain).
    fn from(n: u64) -> Self {
        Decimal {
            text: n.to_string(),
        }
    }
}

impl FromStr for Decimal {
    type Err = AmountError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Decimal::parse(s)
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// A positive amount (deposits, withdrawals, borrows, repays, liquidation caps): zero and
/// negative numbers are refused when it is parsed, before anything else happens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Amount(Decimal);

impl Amount {
    pub fn parse(input: &str) -> Result<Self, AmountError> {
        let d = Decimal::parse(input)?;
        if d.is_zero() {
            return Err(AmountError::Zero(d.text));
        }
        Ok(Amount(d))
    }

    /// Native units: `native = true` reads the number as raw units (it must be whole),
    /// otherwise as tokens with `decimals` decimals.
    pub fn native(&self, decimals: u8, native: bool) -> Result<u64, AmountError> {
        if native {
            self.0.whole()
        } else {
            self.0.to_native(decimals)
        }
    }

    pub fn decimal(&self) -> &Decimal {
        &self.0
    }
}

impl FromStr for Amount {
    type Err = AmountError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Amount::parse(s)
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Parse a positive token amount into native units (`"1.5"`, 6 decimals → 1,500,000).
pub fn parse_amount(input: &str, decimals: u8) -> Result<u64, AmountError> {
    Amount::parse(input)?.native(decimals, false)
}

/// Native units as tokens, without trailing zeros: 1,500,000 with 6 decimals → `1.5`,
/// 1 → `0.000001`, 2,000,000 → `2`.
pub fn format_amount(native: u64, decimals: u8) -> String {
    let digits = native.to_string();
    let decimals = decimals as usize;
    let (int, frac) = if digits.len() > decimals {
        let (i, f) = digits.split_at(digits.len() - decimals);
        (i.to_string(), f.to_string())
    } else {
        (
            "0".to_string(),
            "0".repeat(decimals - digits.len()) + &digits,
        )
    };
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        int
    } else {
        format!("{int}.{frac}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn token_units_scale_by_the_mint_decimals() {
        assert_eq!(parse_amount("1.5", 6), Ok(1_500_000));
        assert_eq!(parse_amount("1", 9), Ok(1_000_000_000));
        assert_eq!(parse_amount(".25", 2), Ok(25));
        assert_eq!(parse_amount("3.", 0), Ok(3));
        assert_eq!(parse_amount(" 0.000001 ", 6), Ok(1));
        assert_eq!(parse_amount("+2", 0), Ok(2));
        assert_eq!(parse_amount("007.10", 2), Ok(710));
        // Trailing zeros are not precision: 1.500000000 is exactly 1.5 on a 6-decimal mint.
        assert_eq!(parse_amount("1.500000000", 6), Ok(1_500_000));
        assert_eq!(parse_amount("18446744073709.551615", 6), Ok(u64::MAX));
    }

    #[test]
    fn refusals_name_the_input_on_one_line() {
        let cases: [(&str, u8, AmountError, &str); 9] = [
            ("", 6, AmountError::Empty, "empty"),
            ("abc", 6, AmountError::Invalid("abc".into()), "not a number"),
            ("1.2.3", 6, AmountError::Invalid("1.2.3".into()), "1.2.3"),
            ("1e6", 6, AmountError::Invalid("1e6".into()), "1e6"),
            ("-1", 6, AmountError::Negative("-1".into()), "negative"),
            ("0.000", 6, AmountError::Zero("0.000".into()), "zero"),
            (
                "1.1234567",
                6,
                AmountError::TooManyDecimals {
                    input: "1.1234567".into(),
                    places: 7,
                    decimals: 6,
                },
                "7 decimal places but the token has 6 (smallest unit 0.000001)",
            ),
            (
                "1.5",
                0,
                AmountError::TooManyDecimals {
                    input: "1.5".into(),
                    places: 1,
                    decimals: 0,
                },
                "smallest unit 1)",
            ),
            (
                "18446744073709.551616",
                6,
                AmountError::Overflow {
                    input: "18446744073709.551616".into(),
                    decimals: 6,
                },
                "at most 18446744073709.551615",
            ),
        ];
        for (input, decimals, expected, words) in cases {
            let err = parse_amount(input, decimals).unwrap_err();
            assert_eq!(err, expected, "{input}");
            let line = err.to_string();
            assert!(line.contains(words) && !line.contains('\n'), "{line}");
        }
        // Negative text that is not a number is garbage, not a negative amount.
        assert_eq!(
            parse_amount("--1", 6),
            Err(AmountError::Invalid("--1".into()))
        );
    }

    #[test]
    fn native_amounts_are_whole() {
        let a = Amount::parse("1500000").unwrap();
        assert_eq!(a.native(6, true), Ok(1_500_000));
        assert_eq!(a.native(6, false), Ok(1_500_000_000_000));
        let err = Amount::parse("1.5").unwrap().native(6, true).unwrap_err();
        assert_eq!(err, AmountError::FractionalNative("1.5".into()));
        // A limit may be zero; an amount may not.
        assert!(Decimal::parse("0").unwrap().is_zero());
        assert_eq!(Amount::parse("0"), Err(AmountError::Zero("0".into())));
        assert_eq!(Decimal::from(0).whole(), Ok(0));
        assert_eq!(Decimal::from(u64::MAX).to_native(0), Ok(u64::MAX));
        assert_eq!(Decimal::from(42), Decimal::parse("042.0").unwrap());
        assert_ne!(Decimal::from(42), Decimal::parse("4.2").unwrap());
    }

    #[test]
    fn formats_native_as_tokens() {
        assert_eq!(format_amount(1_500_000, 6), "1.5");
        assert_eq!(format_amount(1, 6), "0.000001");
        assert_eq!(format_amount(2_000_000, 6), "2");
        assert_eq!(format_amount(0, 6), "0");
        assert_eq!(format_amount(42, 0), "42");
        assert_eq!(format_amount(u64::MAX, 18), "18.446744073709551615");
    }

    proptest! {
        #[test]
        fn format_then_parse_round_trips(native in 1..=u64::MAX, decimals in 0u8..=30) {
            let text = format_amount(native, decimals);
            prop_assert_eq!(parse_amount(&text, decimals), Ok(native));
        }

        #[test]
        fn parsing_never_panics(input in ".*", decimals in any::<u8>()) {
            let _ = parse_amount(&input, decimals);
            let _ = Decimal::parse(&input).map(|d| d.whole());
        }

        #[test]
        fn numeric_looking_input_never_panics(input in "[-+ 0-9.]{0,40}", decimals in any::<u8>()) {
            if let Ok(native) = parse_amount(&input, decimals) {
                prop_assert!(native > 0);
                prop_assert_eq!(parse_amount(&format_amount(native, decimals), decimals), Ok(native));
            }
        }
    }
}
