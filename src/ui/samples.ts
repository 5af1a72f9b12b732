/** The sample datasets bundled under public/samples (see its README for sources and licences). */
export interface Sample {
  file: string;
  title: string;
  description: string;
}

export const SAMPLES: Sample[] = [
  { file: 'penguins.csv', title: 'Palmer penguins', description: '344 penguins, 8 columns, with missing values' },
  { file: 'seattle-weather.csv', title: 'Seattle weather', description: '1,461 days of weather, dates and categories' },
  { file: 'txhousing.csv', title: 'Texas housing', description: '8,602 monthly city housing sales' },
];
