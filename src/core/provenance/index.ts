export * from './provenance';
export * from './detect';
export * from './importFile';
