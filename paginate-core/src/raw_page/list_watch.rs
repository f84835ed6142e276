//! A result list's deserializer, passed through to serde_json's with the caller's type's
//! visitor: the list's elements are counted as the type reads them (a typed page read in one
//! pass, [`super::typed_page`]), and the type is told how many there are when that is known
//! (a full result's merged list), so that a `Vec` is allocated once at its size instead of
//! growing.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// What is watched of a list: where its count goes once its end has been read, and its
/// length when known beforehand.
pub(crate) struct ListWatch<'c> {
    count: Option<&'c mut Option<usize>>,
    length: Option<usize>,
}

impl<'c> ListWatch<'c> {
    /// Counts the list into `count`, `Some` once its end has been read element by element.
    pub(crate) fn counting(count: &'c mut Option<usize>) -> ListWatch<'c> {
        ListWatch {
            count: Some(count),
            length: None,
        }
    }

    /// Tells the type that the list has `length` elements.
    pub(crate) fn of_length(length: usize) -> ListWatch<'static> {
        ListWatch {
            count: None,
            length: Some(length),
        }
    }
}

/// The page type's seed for a result list, which counts the list's elements as the type
/// reads them.
pub(crate) struct Counted<'c, S> {
    pub(crate) seed: S,
    pub(crate) watch: ListWatch<'c>,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Counted<'_, S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        self.seed.deserialize(Counting {
            inner: deserializer,
            watch: self.watch,
        })
    }
}

/// A result list's deserializer: every request goes to serde_json's, and a list read element
/// by element is counted ([`CountingSeq`]). A type that skips the list has it read as any
/// value, so that it is counted too.
struct Counting<'c, D> {
    inner: D,
    watch: ListWatch<'c>,
}

/// `deserialize_*` methods that pass the visitor on, wrapped to count a list.
macro_rules! counting {
    ($($method:ident($($arg:ident: $type:ty),*))*) => {
        $(
            fn $method<V: Visitor<'de>>(self, $($arg: $type,)* visitor: V) -> Result<V::Value, D::Error> {
                self.inner.$method($($arg,)* CountingVisitor { inner: visitor, watch: self.watch })
            }
        )*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Counting<'_, D> {
    type Error = D::Error;

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.inner.deserialize_any(CountingVisitor {
            inner: visitor,
            watch: self.watch,
        })
    }

    counting! {
        deserialize_any() deserialize_bool() deserialize_i8() deserialize_i16()
        deserialize_i32() deserialize_i64() deserialize_i128() deserialize_u8()
        deserialize_u16() deserialize_u32() deserialize_u64() deserialize_u128()
        deserialize_f32() deserialize_f64() deserialize_char() deserialize_str()
        deserialize_string() deserialize_bytes() deserialize_byte_buf() deserialize_option()
        deserialize_unit() deserialize_seq() deserialize_map() deserialize_identifier()
        deserialize_unit_struct(name: &'static str)
        deserialize_newtype_struct(name: &'static str)
        deserialize_tuple(len: usize)
        deserialize_tuple_struct(name: &'static str, len: usize)
        deserialize_struct(name: &'static str, fields: &'static [&'static str])
        deserialize_enum(name: &'static str, variants: &'static [&'static str])
    }

    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}

/// The page type's visitor of a result list: a list (also inside an `Option` or a newtype)
/// is counted as its elements are read; anything else passes through.
struct CountingVisitor<'c, V> {
    inner: V,
    watch: ListWatch<'c>,
}

/// `visit_*` methods that pass their value on.
macro_rules! passing {
    ($($method:ident($type:ty))*) => {
        $(
            fn $method<E: de::Error>(self, v: $type) -> Result<V::Value, E> {
                self.inner.$method(v)
            }
        )*
    };
}

impl<'de, V: Visitor<'de>> Visitor<'de> for CountingVisitor<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.inner.visit_seq(CountingSeq {
            seq,
            seen: 0,
            watch: self.watch,
        })
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        self.inner.visit_some(Counting {
            inner: deserializer,
            watch: self.watch,
        })
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<V::Value, D::Error> {
        self.inner.visit_newtype_struct(Counting {
            inner: deserializer,
            watch: self.watch,
        })
    }

    passing! {
        visit_bool(bool) visit_i8(i8) visit_i16(i16) visit_i32(i32) visit_i64(i64)
        visit_i128(i128) visit_u8(u8) visit_u16(u16) visit_u32(u32) visit_u64(u64)
        visit_u128(u128) visit_f32(f32) visit_f64(f64) visit_char(char) visit_str(&str)
        visit_borrowed_str(&'de str) visit_string(String) visit_bytes(&[u8])
        visit_borrowed_bytes(&'de [u8]) visit_byte_buf(Vec<u8>)
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.inner.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.inner.visit_unit()
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.inner.visit_map(map)
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.inner.visit_enum(data)
    }
}

/// A result list read element by element; its count is known once its end has been read.
struct CountingSeq<'c, A> {
    seq: A,
    seen: usize,
    watch: ListWatch<'c>,
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for CountingSeq<'_, A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        let element = self.seq.next_element_seed(seed)?;
        match (&element, &mut self.watch.count) {
            (Some(_), _) => self.seen += 1,
            (None, Some(count)) => **count = Some(self.seen),
            (None, None) => {}
        }
        Ok(element)
    }

    fn size_hint(&self) -> Option<usize> {
        match self.watch.length {
            Some(length) => Some(length.saturating_sub(self.seen)),
            None => self.seq.size_hint(),
        }
    }
}
