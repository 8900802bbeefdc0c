export { DatasetParseError } from './errors';
export { ContentHasher, hashChunks, hashText } from './hash';
export { chunksOf, readLines, textChunks, type LineReadOptions, type TextLine } from './lines';
export { InteractionCollector, type DatasetFormat, type DatasetStats, type ImportedDataset } from './dataset';
export { parseNumberField, parseTimeField, splitDelimited, splitOnWhitespace } from './fields';
export {
  parseAtomicFile,
  parseCsvFile,
  parsePairFile,
  parseSequenceFile,
  parseSessionFile,
  type AtomicImportOptions,
  type CsvColumnMapping,
  type CsvImportOptions,
  type ImportOptions,
  type SessionImportOptions,
} from './parsers';
export { alignNegatives, parseNegativesFile, type NegativesFile } from './negatives';
export {
  alignItemAttributes,
  parseItemAttributesFile,
  type ItemAttributes,
  type ItemAttributesFile,
} from './itemAttributes';
