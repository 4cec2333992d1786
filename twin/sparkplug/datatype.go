package sparkplug

import "strconv"

// DataType is the Sparkplug B datatype of a metric value, numbered as in the
// DataType enum of the Sparkplug 3.0 specification (chapter 6) and Tahu's
// sparkplug_b.proto. The zero value Unknown means "not given", which is how
// DATA and CMD messages usually send metrics: the type comes from the birth.
type DataType uint32

// Sparkplug datatypes. PropertySet (20) and PropertySetList (21) are
// property value types and are not valid for a metric.
const (
	Unknown         DataType = 0
	Int8            DataType = 1
	Int16           DataType = 2
	Int32           DataType = 3
	Int64           DataType = 4
	UInt8           DataType = 5
	UInt16          DataType = 6
	UInt32          DataType = 7
	UInt64          DataType = 8
	Float           DataType = 9
	Double          DataType = 10
	Boolean         DataType = 11
	String          DataType = 12
	DateTime        DataType = 13
	Text            DataType = 14
	UUID            DataType = 15
	DataSet         DataType = 16
	Bytes           DataType = 17
	File            DataType = 18
	Template        DataType = 19
	PropertySet     DataType = 20
	PropertySetList DataType = 21
	Int8Array       DataType = 22
	Int16Array      DataType = 23
	Int32Array      DataType = 24
	Int64Array      DataType = 25
	UInt8Array      DataType = 26
	UInt16Array     DataType = 27
	UInt32Array     DataType = 28
	UInt64Array     DataType = 29
	FloatArray      DataType = 30
	DoubleArray     DataType = 31
	BooleanArray    DataType = 32
	StringArray     DataType = 33
	DateTimeArray   DataType = 34
)

// String returns the specification's name of the datatype, e.g. "Int32",
// or "DataType(99)" for a number the specification does not define.
func (t DataType) String() string {
	switch t {
	case Unknown:
		return "Unknown"
	case Int8:
		return "Int8"
	case Int16:
		return "Int16"
	case Int32:
		return "Int32"
	case Int64:
		return "Int64"
	case UInt8:
		return "UInt8"
	case UInt16:
		return "UInt16"
	case UInt32:
		return "UInt32"
	case UInt64:
		return "UInt64"
	case Float:
		return "Float"
	case Double:
		return "Double"
	case Boolean:
		return "Boolean"
	case String:
		return "String"
	case DateTime:
		return "DateTime"
	case Text:
		return "Text"
	case UUID:
		return "UUID"
	case DataSet:
		return "DataSet"
	case Bytes:
		return "Bytes"
	case File:
		return "File"
	case Template:
		return "Template"
	case PropertySet:
		return "PropertySet"
	case PropertySetList:
		return "PropertySetList"
	case Int8Array:
		return "Int8Array"
	case Int16Array:
		return "Int16Array"
	case Int32Array:
		return "Int32Array"
	case Int64Array:
		return "Int64Array"
	case UInt8Array:
		return "UInt8Array"
	case UInt16Array:
		return "UInt16Array"
	case UInt32Array:
		return "UInt32Array"
	case UInt64Array:
		return "UInt64Array"
	case FloatArray:
		return "FloatArray"
	case DoubleArray:
		return "DoubleArray"
	case BooleanArray:
		return "BooleanArray"
	case StringArray:
		return "StringArray"
	case DateTimeArray:
		return "DateTimeArray"
	}
	return "DataType(" + strconv.FormatUint(uint64(t), 10) + ")"
}

// ValidMetric reports whether t may be the datatype of a metric: any
// defined type except Unknown, PropertySet and PropertySetList.
func (t DataType) ValidMetric() bool {
	return t != Unknown && t != PropertySet && t != PropertySetList && t <= DateTimeArray
}

// valueKind says which member of the Metric value oneof carries a value.
// The numbers are the protobuf field numbers of Payload.Metric.
type valueKind uint8

const (
	kindNone      valueKind = 0
	kindInt       valueKind = 10 // int_value, uint32
	kindLong      valueKind = 11 // long_value, uint64
	kindFloat     valueKind = 12 // float_value, float
	kindDouble    valueKind = 13 // double_value, double
	kindBool      valueKind = 14 // boolean_value, bool
	kindString    valueKind = 15 // string_value, string
	kindBytes     valueKind = 16 // bytes_value, bytes
	kindDataSet   valueKind = 17 // dataset_value, DataSet message kept verbatim
	kindTemplate  valueKind = 18 // template_value, Template message kept verbatim
	kindExtension valueKind = 19 // extension_value, MetricValueExtension kept verbatim
)

// kindOf returns the oneof member that carries values of datatype t, or
// kindNone if t is not a metric datatype.
func kindOf(t DataType) valueKind {
	switch t {
	case Int8, Int16, Int32, UInt8, UInt16, UInt32:
		return kindInt
	case Int64, UInt64, DateTime:
		return kindLong
	case Float:
		return kindFloat
	case Double:
		return kindDouble
	case Boolean:
		return kindBool
	case String, Text, UUID:
		return kindString
	case DataSet:
		return kindDataSet
	case Template:
		return kindTemplate
	case Bytes, File, Int8Array, Int16Array, Int32Array, Int64Array, UInt8Array, UInt16Array,
		UInt32Array, UInt64Array, FloatArray, DoubleArray, BooleanArray, StringArray, DateTimeArray:
		return kindBytes
	}
	return kindNone
}

func (k valueKind) fieldName() string {
	switch k {
	case kindInt:
		return "int_value"
	case kindLong:
		return "long_value"
	case kindFloat:
		return "float_value"
	case kindDouble:
		return "double_value"
	case kindBool:
		return "boolean_value"
	case kindString:
		return "string_value"
	case kindBytes:
		return "bytes_value"
	case kindDataSet:
		return "dataset_value"
	case kindTemplate:
		return "template_value"
	case kindExtension:
		return "extension_value"
	}
	return "no value"
}
